-- Process image prevalence: how often each image (lower-case full path) ran, on how many hosts, by how many users.
SELECT
  image_key AS key,
  count(*) AS events,
  count(DISTINCT host) AS hosts,
  count(DISTINCT "user") AS users,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE image_key IS NOT NULL
GROUP BY image_key
