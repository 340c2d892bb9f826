-- Image hash prevalence ("sha256:<hex>", else sha1:/md5:), as keyed by the stream.
SELECT
  hash_key AS key,
  count(*) AS events,
  count(DISTINCT host) AS hosts,
  count(DISTINCT "user") AS users,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE hash_key IS NOT NULL
GROUP BY hash_key
