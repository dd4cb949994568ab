ALTER TABLE "sync_log" ADD COLUMN "field_writers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- As 0012's sync_log_write, and also who wrote each changed field: the push sets the transaction
-- setting nexus.sync_client to the device's client id (empty, hence null, for any other writer).
CREATE OR REPLACE FUNCTION sync_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ignored text[] := coalesce(TG_ARGV, '{}');
  writer jsonb := to_jsonb(nullif(current_setting('nexus.sync_client', true), ''));
  new_j jsonb;
  old_j jsonb;
  changed jsonb := '{}';
  writers jsonb := '{}';
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    new_j := to_jsonb(NEW) - ignored - 'version' - 'updated_at';
    old_j := to_jsonb(OLD) - ignored - 'version' - 'updated_at';
    SELECT coalesce(jsonb_object_agg(n.key, NEW.version), '{}'),
           coalesce(jsonb_object_agg(n.key, coalesce(writer, 'null'::jsonb)), '{}')
      INTO changed, writers
      FROM jsonb_each(new_j) n WHERE n.value IS DISTINCT FROM old_j -> n.key;
  END IF;
  INSERT INTO sync_log AS l (table_name, row_id, version, txid, deleted, field_versions, field_writers)
  VALUES (TG_TABLE_NAME, NEW.id, NEW.version, pg_current_xact_id(), false, changed, writers)
  ON CONFLICT (table_name, row_id) DO UPDATE
    SET version = EXCLUDED.version, txid = EXCLUDED.txid, deleted = false,
        field_versions = CASE WHEN l.deleted THEN EXCLUDED.field_versions ELSE l.field_versions || EXCLUDED.field_versions END,
        field_writers = CASE WHEN l.deleted THEN EXCLUDED.field_writers ELSE l.field_writers || EXCLUDED.field_writers END;
  RETURN NULL;
END $$;
