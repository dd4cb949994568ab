CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_terms_prefix_idx" ON "search_terms" USING btree ("term" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
-- Existing catalogs: every word their products use today (later writes add theirs in refreshProducts).
INSERT INTO "search_terms" ("term") SELECT word FROM ts_stat('SELECT search_document FROM products WHERE search_document IS NOT NULL') WHERE word !~ '[0-9[:punct:]]' ON CONFLICT DO NOTHING;
