-- Full-text index over products: name, the SKUs of its variants, description and tags.
-- Contentless (the text lives in products and variants) with contentless_delete so a row can be
-- replaced or removed by rowid = products.rid. Kept by electron/host/db/derived.ts.
-- prefix='2 3' adds prefix indexes so "ho*" / "hoo*" queries do not scan the whole term list.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name,
	skus,
	description,
	tags,
	content='',
	contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2',
	prefix='2 3'
);
