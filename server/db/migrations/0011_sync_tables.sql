CREATE TABLE "stock_oversells" (
	"id" uuid PRIMARY KEY NOT NULL,
	"variant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"version" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_conflicts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"field" text NOT NULL,
	"server_value" jsonb,
	"client_value" jsonb,
	"client_id" uuid NOT NULL,
	"mutation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "sync_devices" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"last_mutation_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_log" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"version" bigint NOT NULL,
	"txid" "xid8" NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"field_versions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "sync_log_table_name_row_id_pk" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "sync_meta" (
	"id" integer PRIMARY KEY NOT NULL,
	"epoch" text NOT NULL,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_mutations" (
	"client_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"mutation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"client_created_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_mutations_client_id_seq_pk" PRIMARY KEY("client_id","seq")
);
--> statement-breakpoint
ALTER TABLE "stock_oversells" ADD CONSTRAINT "stock_oversells_variant_id_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."variants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_oversells" ADD CONSTRAINT "stock_oversells_location_id_stock_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."stock_locations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_oversells" ADD CONSTRAINT "stock_oversells_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_devices" ADD CONSTRAINT "sync_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD CONSTRAINT "sync_mutations_client_id_sync_devices_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."sync_devices"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_oversells_variant_idx" ON "stock_oversells" USING btree ("variant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_oversells_open_key" ON "stock_oversells" USING btree ("variant_id","location_id") WHERE "stock_oversells"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "sync_conflicts_open_idx" ON "sync_conflicts" USING btree ("created_at") WHERE "sync_conflicts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "sync_devices_user_idx" ON "sync_devices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sync_log_position_idx" ON "sync_log" USING btree ("txid","version");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_mutations_mutation_id_key" ON "sync_mutations" USING btree ("mutation_id");