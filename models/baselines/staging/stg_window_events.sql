{#-
  The lake events inside the look-back window, with the keys the stream counts
  (stream/count/keys.ts statKeys; the same kinds and formats, so baselines and live
  counters describe the same things). Empty strings count as absent, as they do there.
-#}
SELECT
  ts,
  host,
  "user",
  event_type,
  logon_type,
  dst_ip,
  dst_port,
  src_ip,
  -- stream/count/keys.ts imageKey: the user folder of C:\Users\<name>\ becomes *
  CASE WHEN event_type = 'process_start' AND nullif(process_path, '') IS NOT NULL THEN
    CASE WHEN {{ regexp_like('lower(process_path)', '^[a-z]:\\\\users\\\\[^\\\\]+\\\\') }}
      THEN substr(lower(process_path), 1, 9) || '*' || substr(lower(process_path), 9 + strpos(substr(lower(process_path), 10), '\'))
      ELSE lower(process_path) END
  END AS image_key,
  CASE WHEN event_type = 'process_start' THEN
    CASE
      WHEN nullif(sha256, '') IS NOT NULL THEN 'sha256:' || sha256
      WHEN nullif(sha1, '') IS NOT NULL THEN 'sha1:' || sha1
      WHEN nullif(md5, '') IS NOT NULL THEN 'md5:' || md5
    END END AS hash_key,
  CASE WHEN event_type = 'process_start' AND nullif(parent_process, '') IS NOT NULL AND nullif(process, '') IS NOT NULL
    THEN parent_process || '>' || process END AS parent_child_key,
  parent_process,
  process,
  CASE WHEN event_type = 'logon' AND coalesce(outcome, '') <> 'failure'
      AND nullif("user", '') IS NOT NULL AND nullif(host, '') IS NOT NULL
      AND NOT {{ is_service_account('"user"') }}
    THEN "user" || '@' || host END AS logon_key,
  CASE WHEN event_type = 'network_connection' AND nullif(src_ip, '') IS NOT NULL AND nullif(dst_ip, '') IS NOT NULL
      AND {{ is_internal_ip('src_ip') }} AND {{ is_internal_ip('dst_ip') }}
    THEN src_ip || '>' || dst_ip END AS host_pair_key,
  CASE WHEN nullif({{ dns_name('dns_query') }}, '') IS NOT NULL
    THEN {{ dns_name('dns_query') }} END AS domain_key
FROM {{ source('lake', 'events') }}
WHERE {{ in_window() }}
