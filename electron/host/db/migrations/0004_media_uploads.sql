CREATE TABLE `media_uploads` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`product_id` text NOT NULL,
	`file_name` text NOT NULL,
	`alt` text,
	`mime_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`preview` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	CONSTRAINT "media_uploads_status_valid" CHECK("media_uploads"."status" in ('pending', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_uploads_id_unique` ON `media_uploads` (`id`);--> statement-breakpoint
CREATE INDEX `media_uploads_status_idx` ON `media_uploads` (`status`,`seq`);--> statement-breakpoint
CREATE INDEX `media_uploads_product_idx` ON `media_uploads` (`product_id`,`seq`);--> statement-breakpoint
CREATE TABLE `refund_attempts` (
	`order_id` text NOT NULL,
	`request` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`order_id`, `request`)
);
