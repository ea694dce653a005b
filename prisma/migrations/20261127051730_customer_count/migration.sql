-- CreateTable
CREATE TABLE "customer_count_slots" (
    "slot" SMALLINT NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "customer_count_slots_pkey" PRIMARY KEY ("slot")
);

-- Hand-written: the triggers that keep the slots (Prisma cannot model triggers). Each
-- statement that inserts or deletes customers adds its row count to the slot of its backend
-- (pg_backend_pid() % 16, created on first use): concurrent writers on different connections
-- update different rows, and Σ n equals count(*) in every snapshot because it changes in the
-- writing transaction itself. A missing slot table row counts as 0.
INSERT INTO "customer_count_slots" ("slot", "n") SELECT 0, count(*) FROM "customers";

CREATE FUNCTION "customer_count_add"(delta bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "customer_count_slots" AS s ("slot", "n") VALUES (pg_backend_pid() % 16, delta)
  ON CONFLICT ("slot") DO UPDATE SET "n" = s."n" + EXCLUDED."n";
$$;

CREATE FUNCTION "customer_count_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "customer_count_add"((SELECT count(*) FROM inserted));
  RETURN NULL;
END;
$$;

CREATE FUNCTION "customer_count_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "customer_count_add"(-(SELECT count(*) FROM deleted));
  RETURN NULL;
END;
$$;

CREATE FUNCTION "customer_count_after_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "customer_count_slots";
  RETURN NULL;
END;
$$;

-- After a bulk load with these triggers disabled: rewrite the slots from the table.
CREATE FUNCTION "recount_customers"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "customer_count_slots";
  INSERT INTO "customer_count_slots" ("slot", "n") SELECT 0, count(*) FROM "customers";
$$;

CREATE TRIGGER "customers_count_insert" AFTER INSERT ON "customers"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "customer_count_after_insert"();
CREATE TRIGGER "customers_count_delete" AFTER DELETE ON "customers"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "customer_count_after_delete"();
CREATE TRIGGER "customers_count_truncate" AFTER TRUNCATE ON "customers"
  FOR EACH STATEMENT EXECUTE FUNCTION "customer_count_after_truncate"();
