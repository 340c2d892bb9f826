-- Source→destination host pairs by destination port.
SELECT
  host_pair_key || ':' || coalesce(CAST(dst_port AS VARCHAR), '-') AS id,
  host_pair_key AS key,
  dst_port,
  count(*) AS events,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE host_pair_key IS NOT NULL
GROUP BY host_pair_key, dst_port
