{#- Rows whose value lies outside [min_value, max_value] (either bound optional); NULLs pass (not_null checks those). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
SELECT {{ column_name }}
FROM {{ model }}
WHERE {{ column_name }} IS NOT NULL
  AND (1 = 0
  {%- if min_value is not none %} OR {{ column_name }} < {{ min_value }}{% endif %}
  {%- if max_value is not none %} OR {{ column_name }} > {{ max_value }}{% endif %})
{% endtest %}
