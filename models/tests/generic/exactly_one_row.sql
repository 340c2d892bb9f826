{% test exactly_one_row(model) %}
SELECT n FROM (SELECT count(*) AS n FROM {{ model }}) t WHERE n <> 1
{% endtest %}
