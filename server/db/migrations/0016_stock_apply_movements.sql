-- Stock movements applied in order, in one call (server/modules/inventory/stock.service.ts): for each
-- the variant is looked up, its level upserted and the ledger row written, as one statement. A sync
-- push of thousands of offline stock changes sends them here a chunk at a time instead of three
-- round trips each (savepoint, statement, release).
--
-- p_moves: a JSON array of {id (the movement's), levelId (if the level is new), variantId, locationId,
-- kind, onHandDelta, reservedDelta, reason, note, actorId, reference}, cast inside each movement's
-- own block so one bad value fails only its movement. One row comes back per movement, in order:
-- o_product_id null = no such variant (nothing written). With p_catch, a data or integrity error
-- (SQLSTATE classes 22 and 23: a level out of range, an unknown location) undoes that movement alone
-- and comes back as o_error; without it, the error is raised as it would be by the statement itself.
-- Any other error (a deadlock, a bug) is always raised.
CREATE OR REPLACE FUNCTION stock_apply_movements(p_moves jsonb, p_catch boolean)
RETURNS TABLE (
  o_ord integer,
  o_product_id uuid,
  o_threshold integer,
  o_on_hand integer,
  o_reserved integer,
  o_created_at timestamptz,
  o_error text
) LANGUAGE plpgsql AS $$
DECLARE
  m jsonb;
BEGIN
  o_ord := 0;
  FOR m IN SELECT value FROM jsonb_array_elements(p_moves) LOOP
    o_ord := o_ord + 1;
    o_product_id := NULL; o_threshold := NULL; o_on_hand := NULL; o_reserved := NULL;
    o_created_at := NULL; o_error := NULL;
    BEGIN
      WITH v AS (
        SELECT id, product_id, low_stock_threshold FROM variants WHERE id = (m->>'variantId')::uuid
      ), lvl AS (
        INSERT INTO stock_levels (id, variant_id, location_id, on_hand, reserved)
        SELECT (m->>'levelId')::uuid, v.id, (m->>'locationId')::uuid,
               (m->>'onHandDelta')::int, (m->>'reservedDelta')::int
        FROM v
        ON CONFLICT (variant_id, location_id) DO UPDATE SET
          on_hand = stock_levels.on_hand + (m->>'onHandDelta')::int,
          reserved = stock_levels.reserved + (m->>'reservedDelta')::int,
          updated_at = now()
        RETURNING on_hand, reserved
      ), mv AS (
        INSERT INTO stock_movements (id, variant_id, location_id, kind, on_hand_delta, reserved_delta, reason, note,
          actor_id, reference, on_hand_after)
        SELECT (m->>'id')::uuid, (m->>'variantId')::uuid, (m->>'locationId')::uuid,
               (m->>'kind')::stock_movement_kind, (m->>'onHandDelta')::int, (m->>'reservedDelta')::int,
               m->>'reason', m->>'note', (m->>'actorId')::uuid, m->>'reference', lvl.on_hand
        FROM lvl
        RETURNING created_at
      )
      SELECT v.product_id, v.low_stock_threshold, lvl.on_hand, lvl.reserved, mv.created_at
      INTO o_product_id, o_threshold, o_on_hand, o_reserved, o_created_at
      FROM v, lvl, mv;
    EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
      IF NOT p_catch THEN
        RAISE;
      END IF;
      o_error := SQLSTATE;
    END;
    RETURN NEXT;
  END LOOP;
END $$;
