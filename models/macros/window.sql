{#-
  The look-back window, the same on both engines: [as_of - baseline_days, as_of) in
  whole UTC days. Dates are computed here, in Jinja, and reach SQL as literals, so the
  engines never disagree about "today" or time zones.
-#}
{% macro window_end_date() -%}
  {%- set as_of = var('as_of') -%}
  {%- if as_of -%}
    {{ return(modules.datetime.datetime.strptime(as_of | string, '%Y-%m-%d').date()) }}
  {%- else -%}
    {{ return(run_started_at.date() + modules.datetime.timedelta(days=1)) }}
  {%- endif -%}
{%- endmacro %}

{% macro window_start_date() -%}
  {%- set days = var('baseline_days') | int -%}
  {%- if days < 1 -%}
    {{ exceptions.raise_compiler_error('baseline_days must be a positive number of days, got ' ~ var('baseline_days')) }}
  {%- endif -%}
  {{ return(window_end_date() - modules.datetime.timedelta(days=days)) }}
{%- endmacro %}

{#- Partition pruning on dt first, then the exact bound on ts. -#}
{% macro in_window() -%}
  dt >= DATE '{{ window_start_date() }}' AND dt < DATE '{{ window_end_date() }}'
  AND ts >= TIMESTAMP '{{ window_start_date() }} 00:00:00' AND ts < TIMESTAMP '{{ window_end_date() }} 00:00:00'
{%- endmacro %}
