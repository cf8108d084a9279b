-- The index mirror (DESIGN.md, "The embedded database"; docs/architecture.md, "FerretDB").
--
-- FerretDB 1.24.2 pushes an equality filter down as `_jsonb->$1 @> $2` (or `_jsonb#>$1 @> $2` for a
-- dotted field), with the field name as a parameter, and builds btree indexes on
-- `(_jsonb->'field')`, which `@>` cannot use. For every btree index FerretDB creates on one of its
-- tables (one per index the app declares, `_id_` included), this adds a GIN index on the same
-- field(s) with `jsonb_path_ops`, which serves `@>`; with `plan_cache_mode = force_custom_plan` the
-- planner sees the field name and matches the expression. An event trigger does it at each
-- CREATE INDEX, so it follows every createIndexes and every new collection, from any process; the
-- launcher runs this file at each start, which also mirrors indexes created before it existed.

CREATE OR REPLACE FUNCTION public.tally_mirror_index(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  idx record;
  definition text;
  fields text[];
  expression text;
  mirror_name text;
BEGIN
  SELECT i.indexrelid, i.indnkeyatts, t.relname AS table_name, n.nspname AS schema_name, am.amname
    INTO idx
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR idx.amname <> 'btree' OR idx.table_name = '_ferretdb_database_metadata'
     OR to_regclass(format('%I._ferretdb_database_metadata', idx.schema_name)) IS NULL THEN
    RETURN;
  END IF;

  FOR k IN 1..idx.indnkeyatts LOOP
    -- FerretDB writes each key as (_jsonb -> 'a'::text [-> 'b'::text ...]).
    definition := pg_get_indexdef(idx.indexrelid, k, false);
    CONTINUE WHEN definition NOT LIKE '%_jsonb%';
    SELECT array_agg(replace(m.match[1], '''''', '''') ORDER BY m.position)
      INTO fields
      FROM regexp_matches(definition, '''((?:[^'']|'''')*)''', 'g') WITH ORDINALITY AS m(match, position);
    CONTINUE WHEN fields IS NULL;
    IF array_length(fields, 1) = 1 THEN
      expression := format('(_jsonb -> %L::text)', fields[1]);
    ELSE
      expression := format('(_jsonb #> %L::text[])', fields::text);
    END IF;
    mirror_name := left(idx.table_name, 40) || '_' || left(md5(idx.table_name || expression), 12) || '_gin';
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops)',
                   mirror_name, idx.schema_name, idx.table_name, expression);
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION public.tally_mirror_new_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM public.tally_mirror_index(command.objid);
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS tally_mirror_indexes;
CREATE EVENT TRIGGER tally_mirror_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION public.tally_mirror_new_indexes();

DO $$
DECLARE
  existing record;
BEGIN
  FOR existing IN SELECT indexrelid FROM pg_index LOOP
    PERFORM public.tally_mirror_index(existing.indexrelid);
  END LOOP;
END
$$;
