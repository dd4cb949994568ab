-- A product's currency for its price range in lists (derived.ts PRODUCT_DERIVED keeps it from then on).
ALTER TABLE `products` ADD `currency` text;--> statement-breakpoint
UPDATE `products` SET `currency` = (SELECT min(`currency`) FROM `variants` WHERE `product_id` = `products`.`id`);
