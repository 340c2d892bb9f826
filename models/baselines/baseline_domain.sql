-- DNS names queried (full name, lower case, no trailing dot), with their registered domain.
SELECT
  domain_key AS key,
  {{ registered_domain('domain_key') }} AS registered_domain,
  count(*) AS events,
  count(DISTINCT host) AS hosts,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE domain_key IS NOT NULL
GROUP BY domain_key
