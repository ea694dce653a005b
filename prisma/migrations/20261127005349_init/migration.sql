-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "citext";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('administrator', 'shop_manager', 'viewer', 'customer');

-- CreateEnum
CREATE TYPE "customer_status" AS ENUM ('active', 'inactive');

-- CreateEnum
CREATE TYPE "address_type" AS ENUM ('billing', 'shipping');

-- CreateEnum
CREATE TYPE "order_status" AS ENUM ('pending', 'processing', 'on-hold', 'completed', 'canceled', 'refunded', 'failed');

-- CreateEnum
CREATE TYPE "payment_status" AS ENUM ('pending', 'paid', 'partially_paid', 'partially_refunded', 'refunded', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" BIGSERIAL NOT NULL,
    "user_login" VARCHAR(60) NOT NULL,
    "user_email" VARCHAR(100) NOT NULL,
    "display_name" VARCHAR(250) NOT NULL DEFAULT '',
    "role" "user_role" NOT NULL DEFAULT 'customer',
    "created_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_passwords" (
    "id" BIGSERIAL NOT NULL,
    "user_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "hash" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(0),

    CONSTRAINT "application_passwords_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" BIGSERIAL NOT NULL,
    "user_id" BIGINT,
    "email" CITEXT NOT NULL,
    "first_name" VARCHAR(100) NOT NULL DEFAULT '',
    "last_name" VARCHAR(100) NOT NULL DEFAULT '',
    "phone" VARCHAR(32),
    "status" "customer_status" NOT NULL DEFAULT 'active',
    "additional_info" JSONB NOT NULL DEFAULT '{}',
    "total_spent" BIGINT NOT NULL DEFAULT 0,
    "order_count" INTEGER NOT NULL DEFAULT 0,
    "first_order_date" TIMESTAMPTZ(0),
    "last_order_date" TIMESTAMPTZ(0),
    "created_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_addresses" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "type" "address_type" NOT NULL,
    "first_name" VARCHAR(100),
    "last_name" VARCHAR(100),
    "company" VARCHAR(100),
    "address_1" VARCHAR(255) NOT NULL,
    "address_2" VARCHAR(255),
    "city" VARCHAR(100) NOT NULL,
    "state" VARCHAR(100),
    "postcode" VARCHAR(20),
    "country" CHAR(2) NOT NULL,
    "phone" VARCHAR(32),
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_addresses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" BIGINT,
    "status" "order_status" NOT NULL DEFAULT 'pending',
    "payment_status" "payment_status" NOT NULL DEFAULT 'pending',
    "total_amount" BIGINT NOT NULL DEFAULT 0,
    "refunded_amount" BIGINT NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_user_login_key" ON "users"("user_login");

-- CreateIndex
CREATE INDEX "application_passwords_user_id_idx" ON "application_passwords"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "customers_user_id_key" ON "customers"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "customers_email_key" ON "customers"("email");

-- CreateIndex
CREATE INDEX "customers_status_id_idx" ON "customers"("status", "id");

-- CreateIndex
CREATE INDEX "customers_created_at_id_idx" ON "customers"("created_at", "id");

-- CreateIndex
CREATE INDEX "customers_updated_at_id_idx" ON "customers"("updated_at", "id");

-- CreateIndex
CREATE INDEX "customers_total_spent_id_idx" ON "customers"("total_spent", "id");

-- CreateIndex
CREATE INDEX "customers_order_count_id_idx" ON "customers"("order_count", "id");

-- CreateIndex
CREATE INDEX "customers_phone_trgm_idx" ON "customers" USING GIN ("phone" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_addresses_customer_id_type_is_primary_id_idx" ON "customer_addresses"("customer_id", "type", "is_primary", "id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_addresses_one_primary_per_type" ON "customer_addresses"("customer_id", "type") WHERE ("is_primary" = true);

-- CreateIndex
CREATE INDEX "orders_customer_id_created_at_id_idx" ON "orders"("customer_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "application_passwords" ADD CONSTRAINT "application_passwords_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written objects (Prisma does not model them; test/db/migrations.test.ts names them)
-- ---------------------------------------------------------------------------------------

-- Domains the enums do not cover.
ALTER TABLE "customers" ADD CONSTRAINT "customers_email_length_check" CHECK (char_length("email") <= 254);
ALTER TABLE "customers" ADD CONSTRAINT "customers_additional_info_object_check" CHECK (jsonb_typeof("additional_info") = 'object');
ALTER TABLE "customer_addresses" ADD CONSTRAINT "customer_addresses_country_check" CHECK ("country" ~ '^[A-Z]{2}$');
ALTER TABLE "orders" ADD CONSTRAINT "orders_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "orders" ADD CONSTRAINT "orders_amounts_check" CHECK ("total_amount" >= 0 AND "refunded_amount" >= 0 AND "refunded_amount" <= "total_amount");

-- Text sorts compare lower(value) in the "C" collation, ties by id.
CREATE INDEX "customers_email_sort_idx" ON "customers" (lower("email"::text) COLLATE "C", "id");
CREATE INDEX "customers_first_name_sort_idx" ON "customers" (lower("first_name") COLLATE "C", "id");
CREATE INDEX "customers_last_name_sort_idx" ON "customers" (lower("last_name") COLLATE "C", "id");

-- Substring search (ILIKE '%term%'): "first last" covers first name, last name and the full
-- name; email and phone have their own. Trigram GIN indexes keep it off sequential scans.
CREATE INDEX "customers_full_name_trgm_idx" ON "customers" USING GIN (("first_name" || ' ' || "last_name") gin_trgm_ops);
CREATE INDEX "customers_email_trgm_idx" ON "customers" USING GIN (("email"::text) gin_trgm_ops);

-- Customer stats (total_spent, order_count, first/last order date) live on the customer row
-- and are maintained here, whoever writes the orders.

-- The one definition of an order that counts towards a customer's stats.
CREATE FUNCTION "order_counts_toward_stats"(status "payment_status") RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT status IN ('paid', 'partially_paid', 'partially_refunded') $$;

-- Recomputes the stats of the given customers from their orders.
CREATE FUNCTION "refresh_customer_stats"(customer_ids bigint[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF customer_ids IS NULL OR cardinality(customer_ids) = 0 THEN
    RETURN;
  END IF;
  -- Lock the rows first, in id order (no deadlocks between writers). A concurrent writer of
  -- the same customer's orders has then committed, and the aggregate below, which runs with
  -- a new snapshot, sees its rows: the stats cannot drift. NO KEY UPDATE does not conflict
  -- with the KEY SHARE locks that the orders' foreign key checks take.
  PERFORM 1 FROM "customers" WHERE "id" = ANY (customer_ids) ORDER BY "id" FOR NO KEY UPDATE;
  UPDATE "customers" AS c
     SET "total_spent" = s.total_spent,
         "order_count" = s.order_count,
         "first_order_date" = s.first_order_date,
         "last_order_date" = s.last_order_date
    FROM (
      SELECT x.id,
             coalesce(sum(o."total_amount" - o."refunded_amount"), 0)::bigint AS total_spent,
             count(o."id")::int AS order_count,
             min(o."created_at") AS first_order_date,
             max(o."created_at") AS last_order_date
        FROM (SELECT DISTINCT unnest(customer_ids) AS id) AS x
        LEFT JOIN "orders" AS o
          ON o."customer_id" = x.id AND "order_counts_toward_stats"(o."payment_status")
       GROUP BY x.id
    ) AS s
   WHERE c."id" = s.id
     AND (c."total_spent", c."order_count", c."first_order_date", c."last_order_date")
         IS DISTINCT FROM (s.total_spent, s.order_count, s.first_order_date, s.last_order_date);
END $$;

-- Set-based recomputation of every customer, for bulk loads that ran with the triggers off.
CREATE FUNCTION "recompute_all_customer_stats"() RETURNS void
  LANGUAGE sql AS $$
  UPDATE "customers" AS c
     SET "total_spent" = coalesce(s.total_spent, 0),
         "order_count" = coalesce(s.order_count, 0),
         "first_order_date" = s.first_order_date,
         "last_order_date" = s.last_order_date
    FROM "customers" AS c2
    LEFT JOIN (
      SELECT "customer_id",
             sum("total_amount" - "refunded_amount")::bigint AS total_spent,
             count(*)::int AS order_count,
             min("created_at") AS first_order_date,
             max("created_at") AS last_order_date
        FROM "orders"
       WHERE "customer_id" IS NOT NULL AND "order_counts_toward_stats"("payment_status")
       GROUP BY "customer_id"
    ) AS s ON s."customer_id" = c2."id"
   WHERE c."id" = c2."id"
     AND (c."total_spent", c."order_count", c."first_order_date", c."last_order_date")
         IS DISTINCT FROM (coalesce(s.total_spent, 0), coalesce(s.order_count, 0), s.first_order_date, s.last_order_date);
$$;

CREATE FUNCTION "orders_stats_after_insert"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_customer_stats"(ARRAY(
    SELECT DISTINCT "customer_id" FROM new_rows
     WHERE "customer_id" IS NOT NULL AND "order_counts_toward_stats"("payment_status")));
  RETURN NULL;
END $$;

CREATE FUNCTION "orders_stats_after_update"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_customer_stats"(ARRAY(
    SELECT DISTINCT affected.id
      FROM old_rows AS o
      FULL JOIN new_rows AS n ON n."id" = o."id"
      CROSS JOIN LATERAL unnest(ARRAY[o."customer_id", n."customer_id"]) AS affected(id)
     WHERE affected.id IS NOT NULL
       AND (o."id" IS NULL OR n."id" IS NULL
            OR (o."customer_id", o."payment_status", o."total_amount", o."refunded_amount", o."created_at")
               IS DISTINCT FROM
               (n."customer_id", n."payment_status", n."total_amount", n."refunded_amount", n."created_at"))));
  RETURN NULL;
END $$;

CREATE FUNCTION "orders_stats_after_delete"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "refresh_customer_stats"(ARRAY(
    SELECT DISTINCT "customer_id" FROM old_rows
     WHERE "customer_id" IS NOT NULL AND "order_counts_toward_stats"("payment_status")));
  RETURN NULL;
END $$;

CREATE FUNCTION "orders_stats_after_truncate"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "customers"
     SET "total_spent" = 0, "order_count" = 0, "first_order_date" = NULL, "last_order_date" = NULL
   WHERE "order_count" <> 0 OR "total_spent" <> 0 OR "first_order_date" IS NOT NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER "orders_stats_insert" AFTER INSERT ON "orders"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "orders_stats_after_insert"();
CREATE TRIGGER "orders_stats_update" AFTER UPDATE ON "orders"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "orders_stats_after_update"();
CREATE TRIGGER "orders_stats_delete" AFTER DELETE ON "orders"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "orders_stats_after_delete"();
CREATE TRIGGER "orders_stats_truncate" AFTER TRUNCATE ON "orders"
  FOR EACH STATEMENT EXECUTE FUNCTION "orders_stats_after_truncate"();
