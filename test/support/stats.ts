/**
 * The from-scratch recomputation the stats tests compare against, per the contract (counted:
 * paid, partially_paid, partially_refunded; total = Σ(total − refunded)): every customer whose
 * stored stats differ from it, with both sides. Plain SQL text, so Prisma and pg clients alike
 * can run it.
 */
export const STATS_MISMATCHES_SQL = `
  SELECT c.id::text AS id,
         c.total_spent::text AS stored_total, coalesce(s.total_spent, 0)::text AS expected_total,
         c.order_count AS stored_count, coalesce(s.order_count, 0)::int AS expected_count,
         c.first_order_date AS stored_first, s.first_order_date AS expected_first,
         c.last_order_date AS stored_last, s.last_order_date AS expected_last
    FROM customers AS c
    LEFT JOIN (
      SELECT customer_id,
             sum(total_amount - refunded_amount) AS total_spent,
             count(*) AS order_count,
             min(created_at) AS first_order_date,
             max(created_at) AS last_order_date
        FROM orders
       WHERE customer_id IS NOT NULL
         AND payment_status IN ('paid', 'partially_paid', 'partially_refunded')
       GROUP BY customer_id
    ) AS s ON s.customer_id = c.id
   WHERE (c.total_spent, c.order_count, c.first_order_date, c.last_order_date)
         IS DISTINCT FROM
         (coalesce(s.total_spent, 0)::bigint, coalesce(s.order_count, 0)::int, s.first_order_date, s.last_order_date)
   ORDER BY c.id`;

/** The same as a count. */
export const STATS_MISMATCH_COUNT_SQL = `SELECT count(*) AS n FROM (${STATS_MISMATCHES_SQL}) AS m`;
