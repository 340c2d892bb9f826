-- No key is seen on more hosts than the fleet has.
SELECT k.kind, k.key, k.hosts, t.total_hosts
FROM {{ ref('baseline_keys') }} k
CROSS JOIN {{ ref('baseline_totals') }} t
WHERE k.kind NOT IN ('logon', 'host_pair') -- their hosts is the key's own host
  AND k.hosts > t.total_hosts
