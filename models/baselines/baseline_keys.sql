{#-
  Every baselined key in one table, in the stream's kinds and key formats: what
  `nightjar baselines load` writes into the state store. For logon (user@host) and
  host_pair (src>dst) the key names one host already, so hosts is 1.
-#}
{% set kinds = [
  ('process_image', 'baseline_process_image', 'hosts'),
  ('process_hash', 'baseline_process_hash', 'hosts'),
  ('parent_child', 'baseline_parent_child', 'hosts'),
  ('logon', 'baseline_logon', '1'),
  ('host_pair', 'baseline_host_pair', '1'),
  ('domain', 'baseline_domain', 'hosts'),
  ('registered_domain', 'baseline_registered_domain', 'hosts'),
] %}
{% for kind, model, hosts in kinds %}
SELECT
  '{{ kind }}' AS kind,
  key,
  '{{ kind }}:' || key AS id,
  CAST(events AS BIGINT) AS events,
  CAST({{ hosts }} AS BIGINT) AS hosts,
  first_seen,
  last_seen
FROM {{ ref(model) }}
{% if not loop.last %}UNION ALL{% endif %}
{% endfor %}
