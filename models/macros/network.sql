{#-
  Internal addresses: RFC 1918, link-local, IPv6 unique-local; the same pattern as
  stream/count/keys.ts INTERNAL_IP. Host pairs are counted between internal addresses.
-#}
{% macro is_internal_ip(col) -%}
  {{ regexp_like(col, '^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|169\\.254\\.|[fF][cdCD][0-9a-fA-F]{2}:|[fF][eE]80:)') }}
{%- endmacro %}
