-- Source→destination host pairs ("10.1.2.3>10.9.8.7") and how many destination ports they used.
SELECT
  host_pair_key AS key,
  min(src_ip) AS src_ip,
  min(dst_ip) AS dst_ip,
  count(*) AS events,
  count(DISTINCT dst_port) AS dst_ports,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE host_pair_key IS NOT NULL
GROUP BY host_pair_key
