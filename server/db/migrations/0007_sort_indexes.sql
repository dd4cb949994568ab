DROP INDEX "products_active_price_idx";--> statement-breakpoint
DROP INDEX "products_active_created_idx";--> statement-breakpoint
DROP INDEX "products_active_rating_idx";--> statement-breakpoint
DROP INDEX "products_active_sales_idx";--> statement-breakpoint
CREATE INDEX "products_active_price_desc_idx" ON "products" USING btree ("min_price_cents" DESC NULLS LAST,"id") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_active_price_idx" ON "products" USING btree ("min_price_cents","id") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_active_created_idx" ON "products" USING btree ("created_at","id") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_active_rating_idx" ON "products" USING btree ("rating_average" DESC NULLS LAST,"rating_count" DESC NULLS LAST,"id") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_active_sales_idx" ON "products" USING btree ("sales_count" DESC NULLS LAST,"id") WHERE "products"."status" = 'active';