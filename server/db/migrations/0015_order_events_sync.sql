-- Order timelines travel down (protocol 2, server/modules/sync/rows.ts): staff notes and the events
-- the back-office shows offline. Events are append-only: the rows never change, so each is logged
-- once, at its insert, with a fresh position (no version column of its own, like ledger movements).
-- Nothing deletes them either, except the cascade of an order's own delete: they leave no tombstones,
-- and a replica drops an order's events with the order (electron/host/db/apply.ts).
CREATE OR REPLACE FUNCTION order_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'order_events is append-only: append an event instead'
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION order_events_append_only();
--> statement-breakpoint
CREATE TRIGGER order_events_sync_log AFTER INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION sync_log_touch();
--> statement-breakpoint
-- The events written before: served to every device on its next pull (this transaction's position is
-- after every cursor handed out so far).
INSERT INTO sync_log (table_name, row_id, version, txid, deleted)
SELECT 'order_events', id, nextval('sync_change_seq'), pg_current_xact_id(), false
FROM (SELECT id FROM order_events ORDER BY created_at, id) e
ON CONFLICT (table_name, row_id) DO NOTHING;
