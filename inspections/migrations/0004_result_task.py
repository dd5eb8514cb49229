import django.db.models.deletion
from django.db import migrations, models

# A result's task is its target's: the column is a copy kept for one index range per task, and the
# database refuses a copy that disagrees (a result never moves to another target or task).
RESULT_TASK = r"""
CREATE OR REPLACE FUNCTION inspections_result_task_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target_task bigint;
BEGIN
  SELECT task_id INTO target_task FROM inspections_drawntarget WHERE id = NEW.target_id;
  IF NEW.task_id IS DISTINCT FROM target_task THEN
    RAISE EXCEPTION 'inspection result % names task % but its drawn target % belongs to task %',
      NEW.id, NEW.task_id, NEW.target_id, target_task
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER inspections_result_task_matches
  BEFORE INSERT OR UPDATE OF target_id, task_id ON inspections_inspectionresult
  FOR EACH ROW EXECUTE FUNCTION inspections_result_task_matches();
"""

DROP_RESULT_TASK = """
DROP TRIGGER IF EXISTS inspections_result_task_matches ON inspections_inspectionresult;
DROP FUNCTION IF EXISTS inspections_result_task_matches();
"""


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_draw_counts_and_lean_draw_rows")]

    operations = [
        migrations.AddField(
            model_name="inspectionresult",
            name="task",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inspections.inspectiontask",
                verbose_name="task",
            ),
        ),
        migrations.RunSQL(
            "UPDATE inspections_inspectionresult r SET task_id = t.task_id "
            "FROM inspections_drawntarget t WHERE t.id = r.target_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="inspectionresult",
            name="task",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inspections.inspectiontask",
                verbose_name="task",
            ),
        ),
        migrations.AddIndex(
            model_name="inspectionresult",
            index=models.Index(
                fields=["task"], include=["published_at", "publish_by"], name="inspectionresult_task_idx"
            ),
        ),
        migrations.RunSQL(RESULT_TASK, DROP_RESULT_TASK),
    ]
