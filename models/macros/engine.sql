{#-
  The few places where DuckDB and Trino spell things differently. Everything else in
  the models is SQL both engines accept with the same meaning.
-#}

{#- Partial-match regular expression test: DuckDB regexp_matches, Trino regexp_like. -#}
{% macro regexp_like(value, pattern) -%}
  {{ return(adapter.dispatch('regexp_like', 'nightjar')(value, pattern)) }}
{%- endmacro %}
{% macro default__regexp_like(value, pattern) -%} regexp_like({{ value }}, '{{ pattern }}') {%- endmacro %}
{% macro duckdb__regexp_like(value, pattern) -%} regexp_matches({{ value }}, '{{ pattern }}') {%- endmacro %}

{#-
  The registered domain of a DNS name: the last two labels, or three under the common
  second-level labels of country-code domains (example.co.uk). No public-suffix list:
  the stream computes the same thing with the same expression
  (stream/rarity/keys.ts REGISTERED_DOMAIN), so live keys and baselines match.
  regexp_extract gives '' (DuckDB) or NULL (Trino) when nothing matches (a single
  label); both become the name itself.
-#}
{% macro registered_domain(name) -%}
  coalesce(nullif(regexp_extract({{ name }}, '([^.]+\.(?:(?:co|com|net|org|gov|edu|ac)\.[a-z]{2}|[^.]+))$', 1), ''), {{ name }})
{%- endmacro %}

{#- A DNS name as keyed: lower case, without the trailing root dot. -#}
{% macro dns_name(col) -%}
  regexp_replace(lower({{ col }}), '\.+$', '')
{%- endmacro %}

{#-
  Machine accounts (name$) and Windows' built-in identities, as in stream/count/keys.ts
  isServiceAccount: their logons are not counted.
-#}
{% macro is_service_account(user) -%}
  ({{ user }} LIKE '%$' OR {{ regexp_like(user, '^(system|local service|network service|anonymous logon|dwm-[0-9]+|umfd-[0-9]+|-)$') }})
{%- endmacro %}
