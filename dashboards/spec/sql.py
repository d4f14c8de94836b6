"""SQL snippets the datasets share: Chinese names for codes (门类, 规模, 市州)."""

from __future__ import annotations

# GB/T 4754-2017 sections (门类)
SECTIONS = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业",
    "P": "教育", "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}  # fmt: skip


def section_case(col: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in SECTIONS.items())
    return f"CASE {col} {whens} ELSE '未知' END"


def size_case(col: str) -> str:
    return (
        f"CASE {col} WHEN 'large' THEN '大型' WHEN 'medium' THEN '中型' WHEN 'small' THEN '小型' "
        f"WHEN 'micro' THEN '微型' ELSE '未知' END"
    )


def region_name(code: str, name: str) -> str:
    return (
        f"CASE WHEN {code} = '420000' THEN '湖北省' WHEN {code} = '000000' OR {code} IS NULL THEN '未知' "
        f"ELSE coalesce({name}, '未知') END"
    )


def arrears_region_name(code: str, name: str) -> str:
    """In the arrears marts 420000 is not a province roll-up: it is the debtors at provincial level (省直机关,
    省属国企), named 湖北省（省直） by dbt."""
    return f"CASE WHEN {code} = '000000' OR {code} IS NULL THEN '未知' ELSE coalesce({name}, '未知') END"
