-- Orders, their items and reviews are synced to the back-office (SYNC.md "What is synced"):
-- every change takes a position from sync_change_seq and deletes leave tombstones (see 0002).
CREATE TRIGGER orders_sync_version BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER order_items_sync_version BEFORE INSERT OR UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER reviews_sync_version BEFORE INSERT OR UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION sync_bump_version();
--> statement-breakpoint
CREATE TRIGGER orders_sync_tombstone AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER order_items_sync_tombstone AFTER DELETE ON order_items FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
--> statement-breakpoint
CREATE TRIGGER reviews_sync_tombstone AFTER DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION sync_tombstone();
