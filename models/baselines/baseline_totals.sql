-- One row: the size of the fleet and of the window, the denominators of every rarity.
SELECT
  DATE '{{ window_start_date() }}' AS window_start,
  DATE '{{ window_end_date() }}' AS window_end,
  {{ var('baseline_days') | int }} AS baseline_days,
  count(*) AS events,
  count(DISTINCT host) AS total_hosts,
  count(DISTINCT "user") AS total_users
FROM {{ ref('stg_window_events') }}
