CREATE TABLE `row_bases` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`version` integer NOT NULL,
	`data` text,
	PRIMARY KEY(`table_name`, `row_id`)
);
--> statement-breakpoint
ALTER TABLE `sync_state` ADD `pulled_mutation_seq` integer DEFAULT 0 NOT NULL;