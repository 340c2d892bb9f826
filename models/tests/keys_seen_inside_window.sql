-- Every baselined key was first seen no later than last seen, and both inside the window.
SELECT kind, key, first_seen, last_seen
FROM {{ ref('baseline_keys') }}
WHERE first_seen > last_seen
   OR first_seen < TIMESTAMP '{{ window_start_date() }} 00:00:00'
   OR last_seen >= TIMESTAMP '{{ window_end_date() }} 00:00:00'
