"""Accepted headings: our column names and the court site's Chinese headings."""

COMMON = {
    "name": ("name", "被执行人姓名/名称", "被执行人姓名", "被执行人名称", "姓名/名称", "姓名", "名称"),
    "id_number": (
        "id_number",
        "身份证号码/组织机构代码",
        "身份证号码",
        "组织机构代码",
        "证件号码",
        "统一社会信用代码",
    ),
    "sex": ("sex", "性别"),
    "age": ("age", "年龄"),
    "legal_representative": ("legal_representative", "法定代表人或者负责人姓名", "法定代表人", "负责人"),
    "province": ("province", "省份", "地域名称", "所在省份"),
    "court": ("court", "执行法院"),
    "case_number": ("case_number", "案号"),
    "filing_date": ("filing_date", "立案时间", "立案日期"),
    "publish_date": ("publish_date", "发布时间", "发布日期"),
    "basis_document_number": ("basis_document_number", "执行依据文号"),
    "basis_unit": ("basis_unit", "做出执行依据单位", "作出执行依据单位"),
    "planned_end": ("planned_end", "计划移除日期"),
}
DEFAULTER = {
    **COMMON,
    "obligation": ("obligation", "生效法律文书确定的义务"),
    "performance": ("performance", "被执行人的履行情况", "履行情况"),
    "performed_part": ("performed_part", "已履行部分"),
    "unperformed_part": ("unperformed_part", "未履行部分"),
    "circumstance": ("circumstance", "失信被执行人行为具体情形", "失信情形"),
}
RESTRICTION = {
    **COMMON,
    "order_text": ("order_text", "限制消费令", "限制消费令内容"),
    "restricted_person_name": ("restricted_person_name", "限制消费人员姓名", "被限制人姓名"),
    "restricted_person_id_number": (
        "restricted_person_id_number",
        "限制消费人员身份证号码",
        "被限制人身份证号码",
    ),
}
REQUIRED_COMMON = {"name", "id_number", "province", "court", "case_number", "filing_date", "publish_date"}
SPECS = {
    "court-defaulters": (DEFAULTER, REQUIRED_COMMON | {"performance", "circumstance"}),
    "consumption-restriction": (RESTRICTION, REQUIRED_COMMON | {"order_text"}),
}


def aliases(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias.lower(): name for name, names in columns.items() for alias in names}
