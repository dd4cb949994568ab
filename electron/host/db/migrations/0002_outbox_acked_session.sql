PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`base_version` integer,
	`created_at` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	CONSTRAINT "outbox_status_valid" CHECK("__new_outbox"."status" in ('pending', 'sent', 'acked'))
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("seq", "id", "name", "args", "base_version", "created_at", "status", "attempts", "last_error") SELECT "seq", "id", "name", "args", "base_version", "created_at", "status", "attempts", "last_error" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_id_unique` ON `outbox` (`id`);--> statement-breakpoint
ALTER TABLE `sync_state` ADD `device_registered` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `session` text;