-- The pull feed (SYNC.md rule 1; server/modules/sync/pull.ts): one sync_log row per synced row
-- holding its latest position (version), the writing transaction (txid) and whether it is gone.
-- A pull serves entries below the oldest running transaction (pg_snapshot_xmin), so a change
-- can never commit behind a cursor. The BEFORE triggers of 0002/0004 keep setting `version`;
-- AFTER triggers write the log, so a proposed row that an upsert turns into an update is never
-- logged. field_versions maps a column to the position of its last change (per-field merge).
CREATE OR REPLACE FUNCTION sync_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ignored text[] := coalesce(TG_ARGV, '{}');
  new_j jsonb;
  old_j jsonb;
  changed jsonb := '{}';
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    new_j := to_jsonb(NEW) - ignored - 'version' - 'updated_at';
    old_j := to_jsonb(OLD) - ignored - 'version' - 'updated_at';
    SELECT coalesce(jsonb_object_agg(n.key, NEW.version), '{}') INTO changed
      FROM jsonb_each(new_j) n WHERE n.value IS DISTINCT FROM old_j -> n.key;
  END IF;
  INSERT INTO sync_log AS l (table_name, row_id, version, txid, deleted, field_versions)
  VALUES (TG_TABLE_NAME, NEW.id, NEW.version, pg_current_xact_id(), false, changed)
  ON CONFLICT (table_name, row_id) DO UPDATE
    SET version = EXCLUDED.version, txid = EXCLUDED.txid, deleted = false,
        field_versions = CASE WHEN l.deleted THEN EXCLUDED.field_versions ELSE l.field_versions || EXCLUDED.field_versions END;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Rows without a version column of their own (ledger movements, customers): each logged change
-- takes a fresh position.
CREATE OR REPLACE FUNCTION sync_log_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sync_log (table_name, row_id, version, txid, deleted)
  VALUES (TG_TABLE_NAME, NEW.id, nextval('sync_change_seq'), pg_current_xact_id(), false)
  ON CONFLICT (table_name, row_id) DO UPDATE
    SET version = EXCLUDED.version, txid = EXCLUDED.txid, deleted = false;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pos bigint := nextval('sync_change_seq');
BEGIN
  INSERT INTO sync_tombstones (table_name, row_id, version)
  VALUES (TG_TABLE_NAME, OLD.id, pos)
  ON CONFLICT (table_name, row_id) DO UPDATE SET version = EXCLUDED.version, deleted_at = now();
  INSERT INTO sync_log (table_name, row_id, version, txid, deleted)
  VALUES (TG_TABLE_NAME, OLD.id, pos, pg_current_xact_id(), true)
  ON CONFLICT (table_name, row_id) DO UPDATE
    SET version = EXCLUDED.version, txid = EXCLUDED.txid, deleted = true, field_versions = '{}';
  RETURN OLD;
END $$;
--> statement-breakpoint
-- Wakes the sync event streams (SSE). Delivered at commit, once per transaction and payload.
CREATE OR REPLACE FUNCTION sync_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nexus_sync', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sync_log_notify AFTER INSERT OR UPDATE ON sync_log FOR EACH STATEMENT EXECUTE FUNCTION sync_log_notify();
--> statement-breakpoint
-- Rule 5: a level that goes below zero opens an oversell for a person (one open per variant and location).
CREATE OR REPLACE FUNCTION stock_oversell_flag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.on_hand < 0 AND (TG_OP = 'INSERT' OR OLD.on_hand >= 0) THEN
    INSERT INTO stock_oversells (id, variant_id, location_id, level)
    VALUES (gen_random_uuid(), NEW.variant_id, NEW.location_id, NEW.on_hand)
    ON CONFLICT (variant_id, location_id) WHERE resolved_at IS NULL DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_levels_oversell AFTER INSERT OR UPDATE OF on_hand ON stock_levels FOR EACH ROW EXECUTE FUNCTION stock_oversell_flag();
--> statement-breakpoint
CREATE TRIGGER stock_oversells_sync_version BEFORE INSERT OR UPDATE ON stock_oversells FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER stock_oversells_sync_tombstone AFTER DELETE ON stock_oversells FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER categories_sync_log AFTER INSERT OR UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER products_sync_log AFTER INSERT OR UPDATE ON products FOR EACH ROW
  EXECUTE FUNCTION sync_log_write('search_document', 'min_price_cents', 'max_price_cents', 'in_stock', 'rating_average', 'rating_count', 'sales_count');
--> statement-breakpoint
CREATE TRIGGER variants_sync_log AFTER INSERT OR UPDATE ON variants FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER product_images_sync_log AFTER INSERT OR UPDATE ON product_images FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER stock_locations_sync_log AFTER INSERT OR UPDATE ON stock_locations FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER stock_levels_sync_log AFTER INSERT OR UPDATE ON stock_levels FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER stock_oversells_sync_log AFTER INSERT OR UPDATE ON stock_oversells FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER orders_sync_log AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER order_items_sync_log AFTER INSERT OR UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
CREATE TRIGGER reviews_sync_log AFTER INSERT OR UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION sync_log_write();
--> statement-breakpoint
-- Movements are append-only and go only with their variant (a cascade): they leave no tombstones;
-- a replica drops a deleted variant's movements with it.
CREATE TRIGGER stock_movements_sync_log AFTER INSERT ON stock_movements FOR EACH ROW EXECUTE FUNCTION sync_log_touch();
--> statement-breakpoint
-- Customers travel down with what orders show of them (name, e-mail); staff accounts do not.
CREATE TRIGGER users_sync_log_insert AFTER INSERT ON users FOR EACH ROW WHEN (NEW.role = 'customer')
  EXECUTE FUNCTION sync_log_touch();
--> statement-breakpoint
CREATE TRIGGER users_sync_log_update AFTER UPDATE ON users FOR EACH ROW
  WHEN (NEW.role = 'customer' AND (OLD.role IS DISTINCT FROM NEW.role OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.email IS DISTINCT FROM NEW.email OR OLD.disabled IS DISTINCT FROM NEW.disabled))
  EXECUTE FUNCTION sync_log_touch();
--> statement-breakpoint
CREATE TRIGGER users_sync_tombstone AFTER DELETE ON users FOR EACH ROW WHEN (OLD.role = 'customer')
  EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
INSERT INTO sync_log (table_name, row_id, version, txid, deleted)
SELECT t, id, version, pg_current_xact_id(), false FROM (
  SELECT 'categories' AS t, id, version FROM categories
  UNION ALL SELECT 'products', id, version FROM products
  UNION ALL SELECT 'variants', id, version FROM variants
  UNION ALL SELECT 'product_images', id, version FROM product_images
  UNION ALL SELECT 'stock_locations', id, version FROM stock_locations
  UNION ALL SELECT 'stock_levels', id, version FROM stock_levels
  UNION ALL SELECT 'orders', id, version FROM orders
  UNION ALL SELECT 'order_items', id, version FROM order_items
  UNION ALL SELECT 'reviews', id, version FROM reviews
  UNION ALL SELECT 'stock_movements', id, nextval('sync_change_seq') FROM stock_movements
  UNION ALL SELECT 'users', id, nextval('sync_change_seq') FROM users WHERE role = 'customer'
) rows
UNION ALL
SELECT table_name, row_id, version, pg_current_xact_id(), true FROM sync_tombstones
ON CONFLICT (table_name, row_id) DO NOTHING;
--> statement-breakpoint
INSERT INTO stock_oversells (id, variant_id, location_id, level)
SELECT gen_random_uuid(), variant_id, location_id, on_hand FROM stock_levels WHERE on_hand < 0;
--> statement-breakpoint
INSERT INTO sync_meta (id, epoch) VALUES (1, gen_random_uuid()::text);
