-- Registered domains ("example.co.uk"): a rare domain stays rare however many names under it are queried.
SELECT
  {{ registered_domain('domain_key') }} AS key,
  count(*) AS events,
  count(DISTINCT host) AS hosts,
  count(DISTINCT domain_key) AS names,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE domain_key IS NOT NULL
GROUP BY {{ registered_domain('domain_key') }}
