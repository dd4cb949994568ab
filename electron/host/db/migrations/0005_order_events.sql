CREATE TABLE `order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` text NOT NULL,
	`version` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_events_order_idx` ON `order_events` (`order_id`,`created_at`);--> statement-breakpoint
-- Order events travel from sync protocol 2 on. A store that pulled before holds a cursor past events it
-- was never sent: it pulls everything once more (rows it already holds are skipped by their version).
UPDATE `sync_state` SET `cursor` = NULL,
  `first_download_done` = CASE WHEN `first_download_complete` = 1 THEN `first_download_done` ELSE 0 END
WHERE `cursor` IS NOT NULL;
