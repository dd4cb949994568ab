-- Sync change positions (SYNC.md rule 1): one global sequence; every synced row carries the
-- position of its last change, and deletes leave tombstones with a position of their own.
CREATE SEQUENCE IF NOT EXISTS sync_change_seq AS bigint;
--> statement-breakpoint
-- Trigger arguments name derived columns whose changes are not edits (they do not bump version).
-- TG_ARGV is NULL (not empty) for a trigger without arguments, hence the coalesce.
CREATE OR REPLACE FUNCTION sync_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ignored text[] := coalesce(TG_ARGV, '{}');
BEGIN
  IF TG_OP = 'UPDATE' AND
     (to_jsonb(NEW) - ignored - 'version' - 'updated_at') = (to_jsonb(OLD) - ignored - 'version' - 'updated_at') THEN
    NEW.version := OLD.version;
    RETURN NEW;
  END IF;
  NEW.version := nextval('sync_change_seq');
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_tombstones (table_name, row_id, version)
  VALUES (TG_TABLE_NAME, OLD.id, nextval('sync_change_seq'))
  ON CONFLICT (table_name, row_id) DO UPDATE SET version = EXCLUDED.version, deleted_at = now();
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER categories_sync_version BEFORE INSERT OR UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER products_sync_version BEFORE INSERT OR UPDATE ON products FOR EACH ROW
  EXECUTE FUNCTION sync_bump_version('search_document', 'min_price_cents', 'max_price_cents', 'in_stock', 'rating_average', 'rating_count', 'sales_count');
--> statement-breakpoint
CREATE TRIGGER variants_sync_version BEFORE INSERT OR UPDATE ON variants FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER product_images_sync_version BEFORE INSERT OR UPDATE ON product_images FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER stock_locations_sync_version BEFORE INSERT OR UPDATE ON stock_locations FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER stock_levels_sync_version BEFORE INSERT OR UPDATE ON stock_levels FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER categories_sync_tombstone AFTER DELETE ON categories FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER products_sync_tombstone AFTER DELETE ON products FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER variants_sync_tombstone AFTER DELETE ON variants FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER product_images_sync_tombstone AFTER DELETE ON product_images FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER stock_locations_sync_tombstone AFTER DELETE ON stock_locations FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER stock_levels_sync_tombstone AFTER DELETE ON stock_levels FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
-- The stock ledger is append-only. Rows go only when their variant is removed (a cascade,
-- which runs one trigger level deeper than a direct statement).
CREATE OR REPLACE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'stock_movements is append-only: record a correcting movement instead'
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();
--> statement-breakpoint
INSERT INTO stock_locations (id, code, name, is_default) VALUES ('01a21f90-58f3-7000-a469-5db32b06a3b1', 'main', 'Main warehouse', true);
