-- Hand-written: the trigram search indexes insert straight into the index instead of a
-- pending list. With the default (fastupdate on) new rows wait in an unsorted list that every
-- search scans until (auto)vacuum merges it; the embedded database has no autovacuum, so the
-- list grew to 4 MB and searches slowed. Customer writes are rare next to searches.
ALTER INDEX "customers_phone_trgm_idx" SET (fastupdate = off);
ALTER INDEX "customers_full_name_trgm_idx" SET (fastupdate = off);
ALTER INDEX "customers_email_trgm_idx" SET (fastupdate = off);
