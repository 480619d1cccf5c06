"""The attachments an application carries, as the bureau lists them (editable afterwards)."""

from django.db import migrations

DOCUMENTS = [
    # code, name, description, required
    ("business_licence", "营业执照", "营业执照副本扫描件", True),
    ("permits", "许可证照", "依法需要取得的安全生产相关许可证照（不涉及的可不上传）", False),
    ("management_certificates", "主要负责人和安全管理人员证书", "安全生产知识和管理能力考核合格证明", True),
    ("special_operation_list", "特种作业人员持证清单", "特种作业人员名单及操作证编号、有效期", True),
    ("signed_self_assessment_report", "签字的自评报告", "系统生成的自评报告经主要负责人签字、加盖公章后的扫描件", True),
    ("internal_publicity_proof", "内部公示证明", "自评报告在企业内部公示的照片或说明", True),
    ("signed_commitment", "签字的承诺书", "主要负责人签字、加盖公章的承诺书扫描件", True),
]


def seed(apps, schema_editor):
    RequiredDocument = apps.get_model("grading", "RequiredDocument")
    for n, (code, name, description, required) in enumerate(DOCUMENTS, start=1):
        RequiredDocument.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "required": required, "sort_order": n * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
