-- Parent→child image pairs ("powershell.exe>rundll32.exe").
SELECT
  parent_child_key AS key,
  min(parent_process) AS parent_process,
  min(process) AS process,
  count(*) AS events,
  count(DISTINCT host) AS hosts,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE parent_child_key IS NOT NULL
GROUP BY parent_child_key
