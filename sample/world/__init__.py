"""The synthetic Hubei SME population behind `sample`: firms, monthly reports, profiles, arrears, financing.

Everything here is vectorised numpy/pandas over firms (no Python loop over rows) and deterministic for a
seed: each table draws from its own numpy Generator seeded by (seed, stream, …), so one region-year of
operating reports, or the increment month, comes out the same whether it is generated alone or with the rest.

Money is kept as integer cents of 万元 (`…_c` columns) so that YTD sums are exact; the writer scales it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ingest import uscc as uscc_mod
from ingest.contract import (
    DIRECT_PASS,
    FEATURE_AWARDS,
    PROBLEMS,
    PRODUCT_DOMAINS,
    QUALITY_ITEMS,
)

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# Generator streams (fixed integers: Python's str hash is salted per process).
S_FIRMS, S_FY, S_PANEL, S_PROFILE, S_ARREARS, S_FIN, S_STYLE, S_DEFECT, S_NAMES = range(1, 10)

# Share of monitored firms per 市州, keyed by the region codes of dbt_project/seeds/ref_regions.csv.
REGION_WEIGHTS = {
    "420100": 0.370,
    "420200": 0.035,
    "420300": 0.045,
    "420500": 0.090,
    "420600": 0.090,
    "420700": 0.020,
    "420800": 0.040,
    "420900": 0.050,
    "421000": 0.055,
    "421100": 0.050,
    "421200": 0.030,
    "421300": 0.022,
    "422800": 0.025,
    "429004": 0.018,
    "429005": 0.015,
    "429006": 0.015,
    "429021": 0.002,
}
# County-level codes (GB/T 2260) some firms report instead of their 市州 code; they roll up by prefix.
COUNTIES = {
    "420100": "420102 420103 420104 420105 420106 420107 420111 420112 420113 420114 420115 420116 420117",
    "420200": "420202 420203 420204 420205 420222 420281",
    "420300": "420302 420303 420304 420322 420323 420324 420325 420381",
    "420500": "420502 420503 420504 420505 420506 420525 420526 420527 420528 420529 420581 420582 420583",
    "420600": "420602 420606 420607 420624 420625 420626 420682 420683 420684",
    "420700": "420702 420703 420704",
    "420800": "420802 420804 420822 420881 420882",
    "420900": "420902 420921 420922 420923 420981 420982 420984",
    "421000": "421002 421003 421022 421024 421081 421083 421087 421088",
    "421100": "421102 421121 421122 421123 421124 421125 421126 421127 421181 421182",
    "421200": "421202 421221 421222 421223 421224 421281",
    "421300": "421303 421321 421381",
    "422800": "422801 422802 422822 422823 422825 422826 422827 422828",
}

# GB/T 4754 大类 weights: manufacturing ≈ 60 % (Hubei's industrial structure: autos, optics/electronics,
# chemicals, building materials, food, pharma are large).
DIVISION_WEIGHTS = {
    13: 3.6,
    14: 1.8,
    15: 1.8,
    17: 1.8,
    18: 1.8,
    19: 0.5,
    20: 0.6,
    21: 0.6,
    22: 1.2,
    23: 0.6,
    24: 0.5,
    25: 0.5,
    26: 4.2,
    27: 3.0,
    28: 0.4,
    29: 2.4,
    30: 3.6,
    31: 1.2,
    32: 1.2,
    33: 3.6,
    34: 3.6,
    35: 3.0,
    36: 5.4,
    37: 1.2,
    38: 3.6,
    39: 4.2,
    40: 1.2,
    41: 0.6,
    42: 0.6,
    43: 0.5,
    1: 1.5,
    3: 0.8,
    5: 0.5,
    10: 0.8,
    44: 0.6,
    46: 0.4,
    47: 2.5,
    48: 2.0,
    49: 1.0,
    50: 1.5,
    51: 6.0,
    52: 3.5,
    54: 2.5,
    58: 0.5,
    59: 1.0,
    61: 0.8,
    62: 1.5,
    64: 1.0,
    65: 4.0,
    72: 2.0,
    73: 1.0,
    74: 1.5,
    75: 1.0,
    77: 0.5,
    80: 0.5,
}
# Real GB/T 4754-2017 classes (dbt_project/seeds/ref_industry_classes.csv) for every division the sample uses: the
# loader refuses a code that is not a class (industry_unknown). Three per division without a list of its own, so
# that the random stream stays as it was when those divisions drew from three generic codes.
CLASSES = {
    19: "1910 1921 1952",
    20: "2011 2021 2032",
    23: "2311 2320 2319",
    24: "2411 2421 2439",
    25: "2511 2521 2529",
    28: "2811 2822 2829",
    41: "4111 4120 4190",
    42: "4210 4220 4210",
    13: "1311 1340 1361 1391",
    14: "1411 1431 1461 1495",
    15: "1512 1515 1524 1530",
    17: "1711 1721 1751",
    18: "1811 1819 1830",
    22: "2221 2231 2239",
    26: "2614 2625 2631 2641 2661 2669",
    27: "2710 2720 2730 2740 2761 2770",
    29: "2922 2927 2929 2912",
    30: "3011 3021 3031 3041 3062 3089",
    31: "3120 3130 3140",
    32: "3216 3251 3252",
    33: "3311 3331 3340 3360 3399",
    34: "3411 3441 3451 3484 3491",
    35: "3511 3531 3562 3581 3599",
    36: "3612 3630 3650 3660 3670",
    37: "3714 3731 3734 3741 3770",
    38: "3811 3824 3841 3849 3851 3871",
    39: "3911 3921 3951 3971 3974 3976 3981 3985",
    40: "4011 4014 4021 4090",
    47: "4710 4720",
    48: "4811 4812 4852",
    49: "4910 4920 4999",
    50: "5011 5012 5090",
    51: "5111 5141 5162 5174 5191",
    52: "5211 5221 5271 5292",
    54: "5431 5432 5435",
    59: "5910 5920 5990",
    61: "6110 6121 6190",
    62: "6210 6220 6241",
    64: "6421 6431 6450",
    65: "6511 6513 6531 6550 6560",
    72: "7211 7221 7241 7281",
    73: "7310 7320 7340",
    74: "7451 7452 7484 7491",
    75: "7511 7517 7520 7590",
    1: "0111 0141 0151",
    3: "0311 0313 0321",
    5: "0511 0531 0541",
    10: "1011 1019 1091",
    44: "4411 4415 4416 4430",
    46: "4610 4620",
    58: "5821 5822 5829",
    77: "7721 7722 7723",
    80: "8010 8051 8090",
}
NAME_WORDS = {
    13: "食品",
    14: "食品",
    15: "酒业",
    17: "纺织",
    18: "服饰",
    22: "纸业",
    26: "化工",
    27: "医药",
    29: "塑胶",
    30: "建材",
    31: "钢业",
    32: "铝业",
    33: "金属制品",
    34: "机械",
    35: "装备",
    36: "汽车零部件",
    37: "船舶配套",
    38: "电气",
    39: "光电子",
    40: "仪器",
    47: "建设工程",
    48: "路桥工程",
    49: "安装工程",
    50: "装饰工程",
    51: "商贸",
    52: "商业",
    54: "物流",
    58: "货运代理",
    59: "仓储",
    61: "酒店",
    62: "餐饮",
    64: "网络科技",
    65: "软件",
    72: "商务咨询",
    73: "技术研究",
    74: "检测技术",
    75: "科技服务",
    1: "农业",
    3: "牧业",
    5: "农业服务",
    10: "矿业",
    44: "新能源",
    46: "水务",
    77: "环保",
    80: "家政服务",
}
NICHES = {
    36: [("汽车轻量化零部件", "铝合金控制臂"), ("新能源汽车热管理", "电子水泵"), ("汽车电子", "车身控制模块")],
    39: [("光通信器件", "高速光模块"), ("新型显示材料", "精密金属掩膜版"), ("功率半导体封测", "IGBT功率模块")],
    27: [("化学原料药", "头孢类原料药"), ("医疗器械", "一次性医用耗材"), ("中药", "中药配方颗粒")],
    26: [("电子化学品", "电子级磷酸"), ("磷化工", "精制磷酸盐"), ("功能涂料", "水性工业涂料")],
    35: [("智能制造装备", "机器人柔性夹具"), ("激光加工设备", "光纤激光切割机"), ("农业机械", "丘陵山地收获机")],
    34: [("精密轴承", "汽车轮毂轴承"), ("流体机械", "高效节能离心泵"), ("机床功能部件", "数控刀架")],
    38: [("锂电池材料", "锂电池隔膜"), ("输配电设备", "智能环网柜"), ("智能家电部件", "变频控制器")],
    33: [("钢结构", "装配式钢结构件"), ("紧固件", "高强度螺栓")],
    30: [("绿色建材", "装配式混凝土构件"), ("特种玻璃", "光伏压延玻璃")],
    37: [("船舶配套", "船用甲板机械"), ("航空零部件", "航空复合材料构件")],
    65: [("工业软件", "制造执行系统MES"), ("北斗应用", "北斗高精度定位软件"), ("数据安全", "数据安全网关")],
    13: [("水产品加工", "小龙虾精深加工制品"), ("粮油加工", "低芥酸菜籽油")],
    40: [("检测仪器", "在线水质分析仪")],
}
CLUSTERS = {
    36: ["新能源与智能网联汽车"],
    39: ["光通信及激光", "集成电路", "新型显示", "智能终端"],
    27: ["生物医药及医疗器械"],
    35: ["智能制造装备", "高端数控装备", "安全应急"],
    34: ["高端数控装备", "智能制造装备"],
    38: ["新能源", "智能家电"],
    37: ["航空航天", "轨道交通装备", "高技术船舶与海洋工程装备"],
    65: ["软件及信息服务", "人工智能", "北斗及应用"],
    64: ["信息网络", "数字创意"],
    40: ["北斗及应用"],
    26: ["电子信息材料"],
}
CHAINS = {
    36: ["汽车"],
    35: ["智能制造装备"],
    34: ["智能制造装备"],
    65: ["软件和信息服务", "人工智能", "算力与大数据"],
    17: ["现代纺织服装"],
    18: ["现代纺织服装"],
    77: ["节能环保"],
    42: ["节能环保"],
    38: ["智能家电", "新材料"],
    26: ["新材料"],
    30: ["新材料"],
    32: ["新材料"],
    28: ["新材料"],
}
ZIHAO = list(
    "华鑫宏瑞恒达兴盛泰丰源科创新博远楚荆江汉长天信诚德金宝安和嘉明光东联通汇隆昌顺利福祥永康晨星峰海川云湖景辰锦立亿众卓越航凯腾力优精智睿尚润泽宇鼎"
) + [
    "三环",
    "九州",
    "九头鸟",
    "东湖",
    "长江",
    "汉江",
    "清江",
    "神龙",
    "武当",
    "黄鹤",
    "楚天",
    "荆楚",
    "江城",
    "光谷",
    "珞珈",
]
SURNAMES = list(
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌波宁丹俊峰云飞鹏浩亮凯")

# Problem categories, in contract.PROBLEMS order, and phrases that name each (keywords of problem_keywords.csv).
PROBLEM_TEXT = {
    "融资难融资贵": ["银行贷款审批慢，融资成本高", "资金周转困难，授信额度被压缩", "抵押物不足，担保难"],
    "用工难用工贵": ["一线工人难招，人工成本上涨", "技术工人缺工严重", "招人难，工资上涨压力大"],
    "原材料涨价": ["原材料价格大幅上涨，采购成本增加", "钢材等大宗商品涨价，利润被压缩", "原料价格波动大，不敢接单"],
    "订单不足": ["订单减少，市场需求不足", "客户减少，销量下滑", "市场萎缩，新订单明显不足"],
    "账款拖欠": ["回款太慢，账款拖欠严重", "应收账款回款周期长，账期被拉长", "工程款结算慢，欠款难收回"],
    "物流不畅": ["物流不畅，运输成本高", "交通管制，原料断供", "运费上涨，供应链不稳"],
    "用能保障": ["限电影响正常生产", "电价上涨，用电成本高", "天然气供应紧张"],
    "税费负担": ["税费负担较重", "社保费缴纳压力大"],
    "政策落实": ["惠企政策兑现慢，政策落实不到位", "补贴资金迟迟未到位"],
    "营商环境": ["审批环节多，营商环境有待改善", "涉企检查较多，营商环境需优化"],
    "技术人才": ["缺乏高端技术人才", "研发人才引进难"],
    "其他": ["其他困难，希望加强服务", "疫情影响，经营困难"],
}
UNTICKED_TEXT = [  # text that names a category the firm did not tick
    ("回款太慢，账款拖欠严重", "账款拖欠"),
    ("原材料涨价太快，成本压力大", "原材料涨价"),
    ("银行抽贷断贷，资金紧张", "融资难融资贵"),
    ("订单下滑明显，开工不足", "订单不足"),
]

DEBTOR_BUREAUS = [
    "住房和城乡建设局",
    "交通运输局",
    "教育局",
    "卫生健康委员会",
    "城市管理执法局",
    "水利和湖泊局",
    "自然资源和规划局",
    "园林和林业局",
    "经济和信息化局",
    "农业农村局",
]
DEBTOR_INSTITUTIONS = [
    "第一人民医院",
    "第三人民医院",
    "中心医院",
    "职业技术学院",
    "城市建设发展中心",
    "疾病预防控制中心",
    "公共资源交易中心",
    "市政工程管理处",
    "高级中学",
    "广播电视台",
]
# Provincial departments (省直机关) for the province-level debtors (所属地区代码 420000).
PROVINCE_BUREAUS = [
    "住房和城乡建设厅",
    "交通运输厅",
    "教育厅",
    "卫生健康委员会",
    "机关事务管理局",
    "水利厅",
    "自然资源厅",
    "林业局",
    "经济和信息化厅",
    "农业农村厅",
]
SOE_KINDS = [
    "城建投资集团有限公司",
    "交通投资集团有限公司",
    "建工集团有限公司",
    "水务集团有限公司",
    "文旅投资集团有限公司",
    "产业投资集团有限公司",
]
PRIVATE_KINDS = [
    "置业集团股份有限公司",
    "控股集团有限公司",
    "实业集团股份有限公司",
    "电器股份有限公司",
    "建设集团有限公司",
]
BANKS = {
    "国有大型银行": ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行"],
    "股份制银行": ["招商银行", "中信银行", "兴业银行", "浦发银行", "民生银行", "光大银行"],
    "城商行农商行": ["湖北银行", "汉口银行", "{short}农村商业银行"],
    "其他": ["{short}小额贷款有限公司", "{short}融资租赁有限公司"],
}
GUARANTORS = ["湖北省融资担保集团有限责任公司", "{short}市融资担保有限公司", "{short}中小企业融资担保有限公司"]
INVESTORS = ["创业投资基金合伙企业（有限合伙）", "股权投资基金合伙企业（有限合伙）", "产业投资基金合伙企业（有限合伙）"]
REFUSALS = [
    "抵押物不足",
    "经营流水不足",
    "征信记录不良",
    "资产负债率过高",
    "行业限制",
    "财务报表不规范",
    "担保条件不满足",
]

# 300号 size thresholds per industry group: SME ceiling, medium floor, small floor (Y persons, R/Z 万元).
SIZE_GROUPS = {
    "agri": ({"R": 20000}, {"R": 500}, {"R": 50}),
    "industry": ({"Y": 1000, "R": 40000}, {"Y": 300, "R": 2000}, {"Y": 20, "R": 300}),
    "construction": ({"R": 80000, "Z": 80000}, {"R": 6000, "Z": 5000}, {"R": 300, "Z": 300}),
    "wholesale": ({"Y": 200, "R": 40000}, {"Y": 20, "R": 5000}, {"Y": 5, "R": 1000}),
    "retail": ({"Y": 300, "R": 20000}, {"Y": 50, "R": 500}, {"Y": 10, "R": 100}),
    "transport": ({"Y": 1000, "R": 30000}, {"Y": 300, "R": 3000}, {"Y": 20, "R": 200}),
    "warehouse": ({"Y": 200, "R": 30000}, {"Y": 100, "R": 1000}, {"Y": 20, "R": 100}),
    "hospitality": ({"Y": 300, "R": 10000}, {"Y": 100, "R": 2000}, {"Y": 10, "R": 100}),
    "telecom": ({"Y": 2000, "R": 100000}, {"Y": 100, "R": 1000}, {"Y": 10, "R": 100}),
    "software": ({"Y": 300, "R": 10000}, {"Y": 100, "R": 1000}, {"Y": 10, "R": 50}),
    "leasing": ({"Y": 300, "Z": 120000}, {"Y": 100, "Z": 8000}, {"Y": 10, "Z": 100}),
    "other": ({"Y": 300}, {"Y": 100}, {"Y": 10}),
}


def size_group(div: int) -> str:
    if div <= 5:
        return "agri"
    if div <= 46:
        return "industry"
    if div <= 50:
        return "construction"
    return {
        51: "wholesale",
        52: "retail",
        59: "warehouse",
        61: "hospitality",
        62: "hospitality",
        63: "telecom",
        64: "telecom",
        65: "software",
        71: "leasing",
        72: "leasing",
    }.get(div, "transport" if 53 <= div <= 58 else "other")


MACRO = {
    2018: 0.90,
    2019: 0.93,
    2020: 0.96,
    2021: 1.0,
    2022: 1.03,
    2023: 1.07,
    2024: 1.11,
    2025: 1.15,
    2026: 1.18,
    2027: 1.21,
}
SPRING_FESTIVAL = {
    2019: "feb",
    2020: "jan",
    2021: "feb",
    2022: "mid",
    2023: "jan",
    2024: "feb",
    2025: "jan",
    2026: "feb",
}
_BASE_SEASON = np.array([1.0, 1.0, 1.03, 1.0, 1.0, 1.05, 0.97, 0.98, 1.03, 0.99, 1.04, 1.18])
_FESTIVAL = {"jan": (0.80, 0.86), "feb": (0.97, 0.66), "mid": (0.88, 0.76)}
FY0 = 2017  # first year of the firm-year matrices
N_FY = 12


def season(year: int) -> np.ndarray:
    s = _BASE_SEASON.copy()
    s[0], s[1] = _FESTIVAL[SPRING_FESTIVAL.get(year, "mid")]
    return s


def shock(year: int, month: int, wuhan: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Revenue factor of the 2020 epidemic shock (Wuhan deepest), and a mild 2022 Q2 dip."""
    f = np.ones(wuhan.shape[0])
    if year == 2020:
        w = {1: 0.88, 2: 0.07, 3: 0.20, 4: 0.60, 5: 0.83, 6: 0.92, 7: 0.96, 8: 0.98, 9: 0.99}.get(month, 1.0)
        o = {1: 0.95, 2: 0.36, 3: 0.68, 4: 0.88, 5: 0.95, 6: 0.98, 7: 0.99}.get(month, 1.0)
        f = np.where(wuhan, w, o)
        f = np.where(
            sector == 1, f**1.5, np.where(sector == 2, f**0.5, f)
        )  # consumer services deeper, pharma/IT milder
    elif year == 2022 and month in (4, 5):
        f = f * 0.96
    return f


def rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def read_regions() -> pd.DataFrame:
    with open(SEEDS_DIR / "ref_regions.csv", encoding="utf-8") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


def read_divisions() -> pd.DataFrame:
    with open(SEEDS_DIR / "ref_industry_divisions.csv", encoding="utf-8") as fh:
        df = pd.DataFrame(list(csv.DictReader(fh)))
    df["div"] = df["division_code"].astype(int)
    return df


def _loguniform(g: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.exp(g.uniform(np.log(lo), np.log(hi)))


def _bits(mask_list: list[np.ndarray]) -> np.ndarray:
    out = np.zeros(mask_list[0].shape, dtype=np.int64)
    for i, m in enumerate(mask_list):
        out |= m.astype(np.int64) << i
    return out


def _cents(x: np.ndarray) -> np.ndarray:
    return np.round(x * 100).astype(np.int64)


@dataclass
class Window:
    y0: int
    m0: int
    months: int

    @property
    def periods(self) -> list[tuple[int, int]]:
        out = []
        for k in range(self.months):
            t = self.y0 * 12 + self.m0 - 1 + k
            out.append((t // 12, t % 12 + 1))
        return out

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.periods})

    @property
    def start_t(self) -> int:
        return self.y0 * 12 + self.m0 - 1

    @property
    def end_t(self) -> int:
        return self.start_t + self.months - 1


class World:
    """The firm population and the generators of every table, for one seed."""

    def __init__(self, seed: int, n: int, window: Window, new_share: float = 0.15):
        self.seed, self.n, self.window, self.new_share = seed, n, window, new_share
        self.regions = read_regions()
        self.divisions = read_divisions()
        self.firms = self._make_firms()
        self._fy = self._firm_year_levels()
        self.annual_rev_c = np.zeros((n, N_FY), dtype=np.int64)  # filled as operating reports are generated
        self.annual_main_c = np.zeros((n, N_FY), dtype=np.int64)
        self.min_emp = np.full((n, N_FY), -1, dtype=np.int64)

    # ------------------------------------------------------------------ firms
    def _make_firms(self) -> pd.DataFrame:
        g = rng(self.seed, S_FIRMS)
        n = self.n
        codes = self.regions["region_code"].tolist()
        w = np.array([REGION_WEIGHTS[c] for c in codes])
        region_idx = g.choice(len(codes), size=n, p=w / w.sum())
        region_idx[: min(n, len(codes))] = np.arange(min(n, len(codes)))  # every 市州 present even in a tiny sample
        g.shuffle(region_idx)
        region = np.array(codes)[region_idx]
        division = region.copy()
        for rc, counties in COUNTIES.items():
            sel = np.flatnonzero((region == rc) & (g.random(n) < 0.45))
            division[sel] = g.choice(counties.split(), size=sel.size)

        divs = np.array(list(DIVISION_WEIGHTS))
        dw = np.array(list(DIVISION_WEIGHTS.values()))
        div = g.choice(divs, size=n, p=dw / dw.sum())
        dmeta = self.divisions.set_index("div")
        section = dmeta.loc[div, "section_code"].to_numpy()
        industrial = dmeta.loc[div, "is_industrial"].to_numpy() == "true"
        cls = np.empty(n, dtype=object)
        for d in np.unique(div):
            sel = np.flatnonzero(div == d)
            options = CLASSES.get(int(d), f"{d:02d}10 {d:02d}20 {d:02d}90").split()
            cls[sel] = g.choice(options, size=sel.size)

        # Size class (0 micro, 1 small, 2 medium) and 300号-consistent Y (persons), R (revenue), Z (assets).
        size = g.choice(3, size=n, p=[0.30, 0.50, 0.20])
        Y = np.full(n, np.nan)
        R = np.full(n, np.nan)
        Z = np.full(n, np.nan)
        groups = np.array([size_group(int(d)) for d in div])
        for grp, (ceil, mid, small) in SIZE_GROUPS.items():
            sel = groups == grp
            if not sel.any():
                continue
            for k in small:
                lo = np.where(size[sel] == 2, mid[k], np.where(size[sel] == 1, small[k], small[k] / 6))
                hi = np.where(size[sel] == 2, ceil[k] * 0.5, np.where(size[sel] == 1, mid[k], small[k]))
                hi = np.maximum(hi, lo * 1.05)
                val = _loguniform(g, lo, hi)
                {"Y": Y, "R": R, "Z": Z}[k][sel] = val
        Y = np.where(np.isnan(Y), np.clip(R / g.uniform(25, 90, n), 2, 900), Y)
        R = np.where(np.isnan(R), Y * g.uniform(12, 60, n), R)
        Z = np.where(np.isnan(Z), R * g.uniform(0.5, 1.6, n), Z)
        Y = np.maximum(np.round(Y), 2)

        # Founding date: most before the window, ≈ 15 % during it (they start reporting a few months later).
        w0 = self.window
        before = g.random(n) >= self.new_share
        fy = np.where(before, w0.y0 - 1 - np.minimum(g.exponential(7, n).astype(int), 28), 0)
        founded_before = (fy - 1970).astype("datetime64[Y]").astype("datetime64[D]") + g.integers(0, 365, n).astype(
            "timedelta64[D]"
        )
        span_days = max(30, int(w0.months * 30.4) - 200)
        founded_in = np.datetime64(f"{w0.y0:04d}-{w0.m0:02d}-01") + g.integers(0, span_days, n).astype("timedelta64[D]")
        founded = np.where(before, founded_before, founded_in)
        f_t = founded.astype("datetime64[M]").astype(int) + 1970 * 12
        start_t = np.maximum(w0.start_t, f_t + np.where(before, 0, g.integers(2, 8, n)))

        # Innovation latent q drives R&D, IP, profiles; tier titles go to high q with noise.
        q = g.normal(0, 1, n) + 0.5 * np.isin(div, [26, 27, 34, 35, 36, 37, 38, 39, 40, 65]) + 0.35 * size
        age = w0.y0 - founded.astype("datetime64[Y]").astype(int) - 1970
        score = q + g.normal(0, 0.6, n) - 5 * (age < 3)
        order = np.argsort(-score, kind="stable")
        n_xjr, n_zj, n_cx = max(1, round(n * 0.004)), max(2, round(n * 0.02)), max(3, round(n * 0.045))
        title = np.zeros(n, dtype=np.int8)  # 0 none, 1 创新型, 2 专精特新, 3 小巨人
        title[order[:n_xjr]] = 3
        title[order[n_xjr : n_xjr + n_zj]] = 2
        title[order[n_xjr + n_zj : n_xjr + n_zj + n_cx]] = 1
        weak = (title > 0) & (g.random(n) < 0.12)  # titled firms whose profile now fails (renewal at risk)
        q = np.where(weak, q - 2.0, q)
        strong = (title > 0) & ~weak
        last_year = w0.periods[-1][0]
        xjr_year = np.where(title == 3, g.integers(2019, max(2020, last_year + 1), n), 0)
        zj_year = np.where(
            title == 3,
            xjr_year - g.integers(1, 4, n),
            np.where(title == 2, g.integers(2016, max(2017, last_year + 1), n), 0),
        )
        cx_year = np.where(title >= 1, g.integers(2022, max(2023, last_year + 1), n), 0)
        cx_year = np.where(title == 1, cx_year, 0)

        rd_ratio = np.clip(np.exp(g.normal(-4.3 + 0.6 * q, 0.5)), 0, 0.25)
        rd_ratio = np.where(strong, np.maximum(rd_ratio, g.uniform(0.032, 0.09, n)), rd_ratio)
        main_share = np.where(strong, g.uniform(0.86, 1.0, n), 0.45 + 0.55 * g.beta(4, 1.3, n))
        lev = 0.05 + 0.85 * g.beta(5, 5, n)
        lev = np.where(g.random(n) < 0.03, g.uniform(1.02, 1.5, n), lev)  # a few over-indebted firms
        lev = np.where(strong, np.minimum(lev, g.uniform(0.3, 0.65, n)), lev)
        growth = g.normal(0.015 + 0.015 * q, 0.06)
        growth = np.where(strong, np.maximum(growth, g.uniform(0.05, 0.15, n)), growth)
        exporter = g.random(n) < np.where(industrial, 0.3, 0.05)
        sector = np.where(np.isin(div, [52, 61, 62, 80]), 1, np.where(np.isin(div, [27, 65, 64]), 2, 0))

        names = self._names(g, region_idx, div)
        uscc = self._usccs(g, division, founded)
        contact = (
            np.array(SURNAMES)[g.integers(0, len(SURNAMES), n)].astype(object)
            + np.array(GIVEN)[g.integers(0, len(GIVEN), n)].astype(object)
            + np.where(g.random(n) < 0.6, np.array(GIVEN)[g.integers(0, len(GIVEN), n)], "").astype(object)
        )
        phone = np.char.add(
            np.array(["13", "15", "17", "18", "19"])[g.integers(0, 5, n)],
            np.char.zfill(g.integers(0, 10**9, n).astype(str), 9),
        )
        return pd.DataFrame(
            {
                "uscc": uscc,
                "name": names,
                "region": region,
                "region_idx": region_idx,
                "division": division,
                "div": div,
                "section": section,
                "industrial": industrial,
                "cls": cls,
                "size": size,
                "group": groups,
                "Y": Y,
                "R": R,
                "Z": Z,
                "founded": founded,
                "start_t": start_t,
                "q": q,
                "title": title,
                "weak": weak,
                "xjr_year": xjr_year,
                "zj_year": zj_year,
                "cx_year": cx_year,
                "rd_ratio": rd_ratio,
                "main_share": main_share,
                "lev": lev,
                "growth": growth,
                "export_share": np.where(exporter, g.uniform(0.03, 0.6, n), 0.0),
                "cost_ratio": np.clip(g.normal(0.80, 0.07, n), 0.5, 1.02),
                "opex": g.uniform(0.05, 0.13, n),
                "tax_rate": g.uniform(0.015, 0.05, n),
                "recv_months": g.uniform(0.8, 4.5, n),
                "overdue": g.beta(1.5, 6, n),
                "public_share": g.beta(1.2, 4, n),
                "power_k": np.where(industrial, g.uniform(0.01, 0.25, n), g.uniform(0.002, 0.02, n)),
                "cap_base": g.uniform(58, 92, n),
                "backlog_m": g.uniform(0.8, 5, n),
                "vac_rate": g.beta(1.3, 40, n),
                "fin_prob": np.array([0.16, 0.08, 0.05])[size],
                "sector": sector,
                "wuhan": region == "420100",
                "contact_name": contact,
                "contact_phone": phone,
            }
        )

    def _names(self, g: np.random.Generator, region_idx: np.ndarray, div: np.ndarray) -> np.ndarray:
        n = region_idx.size
        short = self.regions["region_short"].to_numpy()[region_idx]
        short = np.where(np.char.str_len(short.astype(str)) > 2, np.char.replace(short.astype(str), "州", ""), short)
        word = np.array([NAME_WORDS.get(int(d), "实业") for d in div], dtype=object)
        zh = np.array(ZIHAO, dtype=object)
        suffix = np.array(["有限公司", "有限责任公司", "股份有限公司", "科技有限公司"], dtype=object)
        z = zh[g.integers(0, len(zh), n)] + zh[g.integers(0, len(zh), n)]
        names = pd.Series(short.astype(object) + z + word + suffix[g.choice(4, size=n, p=[0.55, 0.25, 0.08, 0.12])])
        for _ in range(20):
            dup = names.duplicated(keep="first").to_numpy()
            if not dup.any():
                break
            k = int(dup.sum())
            names[dup] = (
                short[dup].astype(object)
                + zh[g.integers(0, len(zh), k)]
                + zh[g.integers(0, len(zh), k)]
                + zh[g.integers(0, len(zh), k)]
                + word[dup]
                + suffix[g.integers(0, 4, k)]
            )
        return names.to_numpy(dtype=object)

    def _usccs(self, g: np.random.Generator, division: np.ndarray, founded: np.ndarray) -> np.ndarray:
        n = division.size
        old = founded < np.datetime64("2015-10-01")  # before the USCC reform: the old 8-digit organisation code
        alnum = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
        digits = g.integers(0, 10, (n, 8)).astype(str)
        new = np.concatenate(
            [np.tile(np.array(["M", "A", "4"]), (n, 1)), alnum[g.integers(0, len(alnum), (n, 5))]], axis=1
        )
        body = np.where(old[:, None], digits, new)
        bodies = ["".join(r) for r in body]
        seen: set[str] = set()
        out = []
        for i, (d, b) in enumerate(zip(division, bodies, strict=True)):
            while b in seen:
                b = "MA4" + "".join(alnum[g.integers(0, len(alnum), 5)])
            seen.add(b)
            out.append(uscc_mod.make(str(d), b))
            del i
        return np.array(out, dtype=object)

    def _firm_year_levels(self) -> np.ndarray:
        """Annual revenue level (万元) per firm and year FY0 … FY0+N_FY-1, at the firm's 2021 scale R."""
        g = rng(self.seed, S_FY)
        f = self.firms
        years = np.arange(FY0, FY0 + N_FY)
        noise = np.exp(g.normal(0, 0.07, (self.n, N_FY)))
        macro = np.array([MACRO.get(int(y), 1.2) for y in years])
        return f["R"].to_numpy()[:, None] * np.exp(f["growth"].to_numpy()[:, None] * (years - 2021)) * macro * noise

    def level(self, year: int) -> np.ndarray:
        return self._fy[:, year - FY0]

    # ------------------------------------------------------------------ operating
    def operating(self, idx: np.ndarray, year: int, months: list[int]) -> pd.DataFrame:
        """Monthly reports of firms `idx` for `year` (all 12 months are simulated so YTD is exact), rows for `months`."""
        f = self.firms.iloc[idx]
        k = idx.size
        rg = int(f["region_idx"].iloc[0]) if k else 0
        g = rng(self.seed, S_PANEL, year, rg)
        L = self.level(year)[idx]
        L_prev = self.level(year - 1)[idx]
        t = year * 12 + np.arange(12)
        start = f["start_t"].to_numpy()
        active = t[None, :] >= start[:, None]
        wuhan, sector = f["wuhan"].to_numpy(), f["sector"].to_numpy()
        industrial = f["industrial"].to_numpy()
        div = f["div"].to_numpy()

        shk = np.stack([shock(year, m, wuhan, sector) for m in range(1, 13)], axis=1)
        shk_prev = np.concatenate([np.stack([shock(year - 1, 12, wuhan, sector)], axis=1), shk[:, :-1]], axis=1)
        amp = np.where(industrial, 1.0, 0.6)[:, None]
        seas = 1 + (season(year)[None, :] - 1) * amp
        eps = g.normal(0, 0.09, (k, 12))
        ramp = np.clip((t[None, :] - start[:, None] + 1) / 6, 0, 1)
        rev = L[:, None] / 12 * seas * shk * np.exp(eps) * np.where(start[:, None] > self.window.start_t, ramp, 1.0)
        zero_first = (start > self.window.start_t) & (g.random(k) < 0.3)
        rev = np.where(zero_first[:, None] & (t[None, :] == start[:, None]), 0.0, rev)
        rev = np.where(active, rev, 0.0)
        rev_c = _cents(rev)

        raw_mat = np.isin(div, [26, 30, 33, 31, 32, 25, 29])
        bump = np.zeros((k, 12))
        if year == 2021:
            bump[:, 6:] = np.where(raw_mat, 0.06, np.where(industrial, 0.02, 0.0))[:, None]
        if year == 2022:
            bump[:, :6] = np.where(raw_mat, 0.03, 0.0)[:, None]
        cr = f["cost_ratio"].to_numpy()[:, None] + bump + 0.12 * (1 - shk) + g.normal(0, 0.015, (k, 12))
        cost_c = np.round(rev_c * np.clip(cr, 0.3, 1.4)).astype(np.int64)
        fixed_c = _cents(L / 12 * 0.025)[:, None] * active
        profit_c = rev_c - cost_c - np.round(rev_c * f["opex"].to_numpy()[:, None]).astype(np.int64) - fixed_c
        net_c = np.where(profit_c > 0, np.round(profit_c * 0.85).astype(np.int64), profit_c)
        tax_c = np.round(rev_c * f["tax_rate"].to_numpy()[:, None]).astype(np.int64)
        export_c = np.round(rev_c * f["export_share"].to_numpy()[:, None]).astype(np.int64)
        main_c = np.floor(rev_c * f["main_share"].to_numpy()[:, None]).astype(np.int64)
        rd = rev * f["rd_ratio"].to_numpy()[:, None] * np.exp(g.normal(0, 0.2, (k, 12)))
        rd = np.where(
            zero_first[:, None] & (rev == 0) & active, L[:, None] / 12 * 0.05, rd
        )  # start-up: R&D before revenue
        rd_c = _cents(rd)

        R0, Z0, Y0 = f["R"].to_numpy(), f["Z"].to_numpy(), f["Y"].to_numpy()
        scale = np.maximum(L / R0, 0.05)
        assets_c = np.maximum(
            _cents(
                Z0[:, None]
                * scale[:, None] ** 0.7
                * (1 + 0.003 * (np.arange(12) - 6))
                * np.exp(g.normal(0, 0.02, (k, 12)))
            ),
            100,
        )
        lev = np.clip(f["lev"].to_numpy()[:, None] + g.normal(0, 0.01, (k, 12)), 0.0, 2.0)
        liab_c = np.round(assets_c * lev).astype(np.int64)
        recv_c = _cents(L[:, None] / 12 * f["recv_months"].to_numpy()[:, None] * np.exp(g.normal(0, 0.05, (k, 12))))
        od_trend = {2020: 0.08, 2021: 0.04, 2022: 0.06, 2023: 0.07, 2024: 0.06, 2025: 0.04}.get(year, 0.03)
        overdue_c = np.floor(recv_c * np.clip(f["overdue"].to_numpy()[:, None] + od_trend, 0, 0.95)).astype(np.int64)
        owed_c = np.floor(recv_c * f["public_share"].to_numpy()[:, None]).astype(np.int64)
        emp = np.maximum(
            1, np.round(Y0[:, None] * scale[:, None] ** 0.3 * shk**0.05 * np.exp(g.normal(0, 0.01, (k, 12))))
        )
        emp = emp.astype(np.int64)
        vac_rate = (
            f["vac_rate"].to_numpy()[:, None]
            + np.array([0.01, 0.03, 0.025] + [0.0] * 9)[None, :]
            + (0.012 if year == 2021 else 0.0)
        )
        vac = np.round(emp * vac_rate * np.exp(g.normal(0, 0.3, (k, 12)))).astype(np.int64)
        power = np.round(rev * f["power_k"].to_numpy()[:, None], 2)
        cap = np.round(
            np.clip(f["cap_base"].to_numpy()[:, None] * shk**0.6 * seas**0.4 + g.normal(0, 3, (k, 12)), 3, 100), 1
        )
        orders_c = _cents(rev * g.uniform(0.85, 1.15, (k, 12)) * (1 + 0.6 * (shk - shk_prev)).clip(0.1))
        backlog_c = _cents(rev * f["backlog_m"].to_numpy()[:, None])
        fin_p = f["fin_prob"].to_numpy()[:, None] * (1 + 1.5 * (profit_c < 0)) * np.where(shk < 0.8, 3, 1)
        fin_c = np.where(g.random((k, 12)) < fin_p, _cents(L[:, None] / 12 * g.uniform(0.2, 1.2, (k, 12))), 0)

        # Sentiment, correlated with how the month went (change of the shock, the firm's growth, its noise).
        yoy = np.log(L / L_prev)[:, None]
        s = (
            0.12 * np.tanh(2 * np.log(shk / shk_prev))
            + 0.6 * yoy
            + 0.5 * (eps - eps.mean())
            + g.normal(0, 0.07, (k, 12))
        )

        def tri(x, lo, hi, labels):
            return np.where(x > hi, labels[0], np.where(x < lo, labels[2], labels[1]))

        sent = {
            "sent_overall": tri(s, -0.05, 0.05, ("好转", "持平", "恶化")),
            "sent_demand": tri(s + g.normal(0, 0.05, (k, 12)), -0.05, 0.06, ("增加", "持平", "减少")),
            "sent_profit": tri(
                s + 0.3 * np.sign(profit_c) * 0.1 + g.normal(0, 0.05, (k, 12)), -0.05, 0.06, ("增加", "持平", "减少")
            ),
            "sent_outlook": tri(
                0.1 * np.tanh(-np.log(shk)) + 0.5 * yoy + g.normal(0, 0.08, (k, 12)),
                -0.06,
                0.06,
                ("好转", "持平", "恶化"),
            ),
        }
        cost_up = 0.3 + bump * 6 + (0.15 if year in (2021, 2022) else 0.0)
        u = g.random((k, 12))
        sent["sent_cost"] = np.where(u < cost_up, "上升", np.where(u > 0.92, "下降", "持平"))
        tight = (fin_c > 0) | (profit_c < 0)
        u = g.random((k, 12))
        sent["sent_funding"] = np.where(u < np.where(tight, 0.65, 0.18), "紧张", np.where(u > 0.88, "宽松", "一般"))
        vr = vac / np.maximum(emp, 1)
        sent["sent_labour"] = np.where(vr > 0.04, "短缺", np.where(vr < 0.01, "充足", "一般"))

        # Problems: a bitmask over contract.PROBLEMS.
        month = np.arange(1, 13)[None, :]
        h2_2021 = (year == 2021) & (month >= 7)
        spike = np.isin(div, [26, 30, 33])[:, None]
        p = {
            "融资难融资贵": 0.08 + 0.45 * (fin_c > 0),
            "用工难用工贵": 0.04 + 0.4 * (vr > 0.04),
            "原材料涨价": np.where(
                h2_2021,
                np.where(spike, 0.68, np.where(industrial[:, None], 0.2, 0.05)),
                np.where(industrial[:, None], 0.07, 0.02) + 0.1 * (year == 2022) * raw_mat[:, None],
            ),
            "订单不足": 0.05 + 0.35 * (s < -0.05),
            "账款拖欠": 0.04 + 0.35 * (f["overdue"].to_numpy()[:, None] + od_trend > 0.3),
            "物流不畅": np.where(
                (year == 2020) & (month <= 4) & (month >= 2), np.where(wuhan[:, None], 0.7, 0.45), 0.02
            )
            + 0.12 * ((year == 2022) & ((month == 4) | (month == 5))),
            "用能保障": 0.01
            + 0.35 * ((year == 2021) & (month >= 8) & (month <= 10)) * np.isin(div, [26, 30, 31, 32, 25, 22])[:, None],
            "税费负担": np.full((k, 12), 0.04),
            "政策落实": np.full((k, 12), 0.02),
            "营商环境": np.full((k, 12), 0.012),
            "技术人才": 0.03 + 0.08 * (f["q"].to_numpy() > 1)[:, None],
            "其他": np.full((k, 12), 0.01),
        }
        masks = [g.random((k, 12)) < np.broadcast_to(p[c], (k, 12)) for c in PROBLEMS]
        problems = _bits(masks)
        text = np.full((k, 12), None, dtype=object)
        first = np.argmax(np.stack(masks, axis=0), axis=0)
        with_text = (problems > 0) & (g.random((k, 12)) < 0.08)
        pick = g.integers(0, 3, (k, 12))
        for ci, c in enumerate(PROBLEMS):
            phrases = PROBLEM_TEXT[c]
            sel = with_text & (first == ci)
            text[sel] = np.array(phrases, dtype=object)[pick[sel] % len(phrases)]
        unticked = g.random((k, 12)) < 0.004
        ui = g.integers(0, len(UNTICKED_TEXT), (k, 12))
        for j, (phrase, cat) in enumerate(UNTICKED_TEXT):
            sel = unticked & (ui == j) & ((problems >> PROBLEMS.index(cat)) & 1 == 0)
            text[sel] = phrase

        # Remember annual totals for the profiles (is_above_scale, rd_staff bound).
        yi = year - FY0
        self.annual_rev_c[idx, yi] = rev_c.sum(axis=1)
        self.annual_main_c[idx, yi] = main_c.sum(axis=1)
        emp_active = np.where(active, emp, np.iinfo(np.int64).max)
        self.min_emp[idx, yi] = np.where(active.any(axis=1), emp_active.min(axis=1), -1)

        cols = {
            "revenue_month": rev_c,
            "revenue_ytd": rev_c.cumsum(1),
            "main_revenue_ytd": main_c.cumsum(1),
            "cost_ytd": cost_c.cumsum(1),
            "profit_ytd": profit_c.cumsum(1),
            "net_profit_ytd": net_c.cumsum(1),
            "tax_ytd": tax_c.cumsum(1),
            "export_ytd": export_c.cumsum(1),
            "rd_expense_ytd": rd_c.cumsum(1),
            "total_assets": assets_c,
            "total_liabilities": liab_c,
            "receivables": recv_c,
            "receivables_overdue": overdue_c,
            "receivables_owed_by_public_and_large": owed_c,
            "employees": emp,
            "vacancies": vac,
            "power_use": power,
            "capacity_utilisation_pct": cap,
            "new_orders": orders_c,
            "order_backlog": backlog_c,
            "financing_demand": fin_c,
            **sent,
            "problems": problems,
            "problem_text": text,
        }
        # Month-major rows (a county appends each month's reports), only active firm-months.
        mi = np.array([m - 1 for m in months])
        act = active[:, mi].T.ravel()
        out = {
            "uscc": np.tile(f["uscc"].to_numpy(), len(mi))[act],
            "name": np.tile(f["name"].to_numpy(), len(mi))[act],
            "period": np.repeat(year * 100 + mi + 1, k)[act],
        }
        for c, a in cols.items():
            out[c] = a[:, mi].T.ravel()[act]
        return pd.DataFrame(out)

    # ------------------------------------------------------------------ enterprises
    def profiles(self, year: int) -> pd.DataFrame:
        """企业基本信息及年度画像 for `year`: every firm founded by then."""
        f = self.firms
        g = rng(self.seed, S_PROFILE, year)
        n = self.n
        q = f["q"].to_numpy()
        founded_year = f["founded"].to_numpy().astype("datetime64[Y]").astype(int) + 1970
        present = founded_year <= year
        div = f["div"].to_numpy()
        yi = year - FY0
        rev = self.annual_rev_c[:, yi] / 100
        main = self.annual_main_c[:, yi] / 100
        modelled = rev == 0
        rev = np.where(modelled, self.level(year), rev)
        main = np.where(modelled, rev * f["main_share"].to_numpy(), main)
        industrial = f["industrial"].to_numpy()
        threshold = np.where(
            industrial,
            2000,
            np.select([div == 51, div == 52, np.isin(div, [61, 62]), div <= 50], [2000, 500, 200, 5000], 1000),
        )
        above = main >= threshold
        above_known = industrial | (g.random(n) < 0.7)

        title = f["title"].to_numpy()
        held = np.select(
            [
                (title == 3) & (f["xjr_year"].to_numpy() <= year),
                (title >= 2) & (f["zj_year"].to_numpy() <= year) & (f["zj_year"].to_numpy() > 0),
                (title == 1) & (f["cx_year"].to_numpy() <= year),
            ],
            [3, 2, 1],
            0,
        )
        base_year = np.select([held == 3, held == 2, held == 1], [f["xjr_year"], f["zj_year"], f["cx_year"]], 0)
        title_year = np.where(held > 0, base_year + 3 * ((year - base_year) // 3), 0)

        # Stable per-firm draws (same generator seed for every year) so profiles evolve smoothly.
        gs = rng(self.seed, S_PROFILE, 0)
        has_niche = (q + gs.normal(0, 0.8, n) > 0.2) | (title > 0)
        niche_since = np.minimum(np.maximum(founded_year, 1990) + gs.integers(0, 4, n), year)
        pick = gs.integers(0, 3, n)
        dnames = self.divisions.set_index("div")["division_name"]
        niche = np.empty(n, dtype=object)
        product = np.empty(n, dtype=object)
        for d in np.unique(div):
            sel = np.flatnonzero(div == d)
            opts = NICHES.get(int(d), [(f"{dnames[int(d)]}细分领域", f"{dnames[int(d)]}主导产品")])
            niche[sel] = [opts[i % len(opts)][0] for i in pick[sel]]
            product[sel] = [opts[i % len(opts)][1] for i in pick[sel]]
        niche = np.where(has_niche, niche, None)
        prod_known = has_niche | (gs.random(n) < 0.5)
        product = np.where(prod_known, product, None)

        hi = q > 1
        domains = _bits(
            [
                gs.random(n) < 0.12 + 0.3 * (q > 0.5),
                (gs.random(n) < 0.08 + 0.1 * hi) & industrial,
                gs.random(n) < 0.03 + 0.12 * hi,
                gs.random(n) < 0.03 + 0.1 * hi,
                gs.random(n) < 0.02 + 0.08 * hi,
                gs.random(n) < 0.004,
                gs.random(n) < 0.08 + 0.15 * (q > 0.5),
            ]
        )
        assert len(PRODUCT_DOMAINS) == 7
        cluster = np.full(n, None, dtype=object)
        chain = np.full(n, None, dtype=object)
        u1, u2, pk = gs.random(n), gs.random(n), gs.integers(0, 4, n)
        for d in np.unique(div):
            sel = div == d
            if int(d) in CLUSTERS:
                opts = CLUSTERS[int(d)]
                s2 = sel & (u1 < 0.25 + 0.3 * (q > 0.5))
                cluster[s2] = np.array(opts, dtype=object)[pk[s2] % len(opts)]
            if int(d) in CHAINS:
                opts = CHAINS[int(d)]
                s2 = sel & (u2 < 0.2 + 0.3 * (q > 0.5))
                chain[s2] = np.array(opts, dtype=object)[pk[s2] % len(opts)]
        awards = _bits(
            [
                gs.random(n) < 0.01 + 0.06 * np.isin(div, [34, 35, 37, 38]) * hi,
                gs.random(n) < 0.01 + 0.05 * np.isin(div, [26, 30, 32, 33]) * hi,
                gs.random(n) < 0.005 + 0.06 * (div == 65) * hi,
                gs.random(n) < 0.003,
                gs.random(n) < 0.003 + 0.05 * np.isin(div, [1, 13, 14, 15]),
            ]
        )
        assert len(FEATURE_AWARDS) == 5
        growth_years = max(0, year - 2019)
        share = np.round(np.clip(np.exp(gs.normal(-0.3 + 0.6 * q, 0.8)), 0.01, 60), 1)
        share = np.where((title == 3) & ~f["weak"].to_numpy(), np.maximum(share, gs.uniform(10, 35, n).round(1)), share)
        share = np.where(has_niche, share, np.nan)
        digital = np.clip(1 + gs.binomial(3, 1 / (1 + np.exp(-(q - 0.3)))) + (g.random(n) < 0.05 * growth_years), 1, 4)
        quality = _bits(
            [
                gs.random(n) < 0.02 + 0.05 * (q > 1.5),
                gs.random(n) < np.clip(0.45 + 0.2 * q, 0.05, 0.95),
                gs.random(n) < np.clip(0.3 + 0.15 * q, 0.05, 0.95),
                gs.random(n) < 0.04 + 0.12 * hi,
            ]
        )
        assert len(QUALITY_ITEMS) == 4
        lam = np.exp(q - 0.8) * (1 + 0.12 * growth_years)
        ip1 = gs.poisson(np.clip(lam, 0, 40))
        ip1 = np.where((title == 3) & ~f["weak"].to_numpy(), np.maximum(ip1, 3), ip1)
        ip1 = ip1 + g.binomial(1, 0.1, n) * (q > 0.5)
        ip_self = np.minimum(gs.binomial(ip1, 0.7), ip1)
        ip_hv = np.minimum(gs.binomial(ip1, 0.15), ip1)
        ip2 = gs.poisson(np.clip(np.exp(q + 0.4) * (1 + 0.1 * growth_years), 0, 80))
        z = q + gs.normal(0, 0.5, n)
        inst = np.select([z > 2.6, z > 1.5, z > 0.7, z > 0.1], ["国家级", "省级", "市级", "市级以下"], "无")
        emp = np.where(
            self.min_emp[:, yi] > 0,
            self.min_emp[:, yi],
            np.maximum(
                1, np.round(f["Y"].to_numpy() * np.maximum(self.level(year) / f["R"].to_numpy(), 0.05) ** 0.3 * 0.97)
            ),
        )
        rd_share = np.clip(0.02 + 0.05 * q + gs.normal(0, 0.03, n), 0, 0.5)
        rd_staff = np.minimum(np.floor(emp * rd_share), emp).astype(np.int64)
        hnte_since = np.where(gs.random(n) < 1 / (1 + np.exp(-2 * (q - 0.9))), gs.integers(2015, 2026, n), 9999)
        direct = _bits(
            [
                gs.random(n) < 0.004 * hi,
                gs.random(n) < 0.015 * hi,
                gs.random(n) < 0.012,
                gs.random(n) < 0.002,
                hnte_since <= year,
                gs.random(n) < 0.02 * hi,
            ]
        )
        assert len(DIRECT_PASS) == 6
        names = ("无", "创新型", "专精特新", "小巨人")
        out = pd.DataFrame(
            {
                "uscc": f["uscc"],
                "name": f["name"],
                "division_code": f["division"],
                "industry_code": f["cls"],
                "founded_on": f["founded"],
                "profile_year": year,
                "is_above_scale": pd.array(np.where(above_known, above, None), dtype="boolean"),
                "current_title": np.array(names, dtype=object)[held],
                "title_year": pd.array(np.where(held > 0, title_year, None), dtype="Int64"),
                "niche_market": niche,
                "niche_since_year": pd.array(np.where(has_niche, niche_since, None), dtype="Int64"),
                "main_product": product,
                "product_domains": domains,
                "cluster": cluster,
                "chain": chain,
                "feature_awards": awards,
                "niche_share_pct": share,
                "digital_level": digital.astype(np.int64),
                "quality_items": quality,
                "ip_class1": ip1,
                "ip_class1_self": ip_self,
                "ip_class1_high_value": ip_hv,
                "ip_class2": ip2,
                "rd_institution_level": inst,
                "rd_staff": rd_staff,
                "direct_pass": direct,
                "contact_name": f["contact_name"],
                "contact_phone": f["contact_phone"],
            }
        )
        return out[present].reset_index(drop=True)

    # ------------------------------------------------------------------ arrears
    def arrears(self, ledger_dates: list[np.datetime64]) -> list[pd.DataFrame]:
        """The whole ledger on each date: cases accumulate; clearance rises; disputes and lawsuits; a few never paid."""
        g = rng(self.seed, S_ARREARS)
        f = self.firms
        first = ledger_dates[0]
        n_cases = max(40, int(self.n * 0.27))
        # Creditors: construction, manufacturing and software firms are owed most often.
        w = np.where(f["div"].between(47, 50), 4.0, np.where(f["industrial"], 1.5, np.where(f["div"] == 65, 2.0, 0.6)))
        w = w * np.array([1.3, 1.0, 0.7])[f["size"].to_numpy()]
        cred = g.choice(self.n, size=n_cases, p=w / w.sum())
        # Cases found: 45 % in the stock at the first ledger, the rest over time (fewer later).
        span = 6 * 365  # a fixed horizon: the cases do not depend on how many ledgers are asked for
        found_off = np.where(g.random(n_cases) < 0.45, 0, (g.beta(1.2, 1.6, n_cases) * span).astype(int))
        found = first + found_off.astype("timedelta64[D]")
        found = np.maximum(found, f["founded"].to_numpy()[cred] + np.timedelta64(60, "D"))
        delivered = found - g.integers(20, 900, n_cases).astype("timedelta64[D]")
        delivered = np.maximum(delivered, f["founded"].to_numpy()[cred] + np.timedelta64(30, "D"))
        # Some recent cases: deliveries after the 2025-06-01 revision of the 条例.
        recent = found > np.datetime64("2025-07-15")
        delivered = np.where(
            recent & (g.random(n_cases) < 0.7),
            np.maximum(np.datetime64("2025-06-01"), found - g.integers(20, 120, n_cases).astype("timedelta64[D]")),
            delivered,
        )
        has_acc = g.random(n_cases) < 0.55
        accepted = np.where(
            has_acc, delivered + g.integers(0, 75, n_cases).astype("timedelta64[D]"), np.datetime64("NaT")
        )
        accepted = np.where(has_acc & (accepted > found), delivered, accepted)
        dtype_idx = g.choice(4, size=n_cases, p=[0.25, 0.2, 0.35, 0.2])
        public = dtype_idx <= 1
        term_opts = np.array([30, 45, 60, 90, 120, 180])
        term = np.where(
            g.random(n_cases) < 0.4, -1, term_opts[g.choice(6, n_cases, p=[0.3, 0.15, 0.25, 0.15, 0.08, 0.07])]
        )
        term = np.where(public & (term > 0) & (g.random(n_cases) < 0.5), np.minimum(term, 60), term)
        amount_c = _cents(np.clip(np.exp(g.normal(np.log(60), 1.1, n_cases)), 1.5, 8000))
        disputed = g.random(n_cases) < 0.2
        lawsuit_at = np.where(disputed & (g.random(n_cases) < 0.35), g.integers(1, 8, n_cases), 10**6)
        never = ~disputed & (g.random(n_cases) < 0.04)

        # Debtors: a pool per region; cases pick one in the creditor's region most of the time.
        codes = self.regions["region_code"].to_numpy()
        shorts = self.regions["region_short"].to_numpy()
        rnames = self.regions["region_name"].to_numpy()
        far = g.random(n_cases) >= 0.8  # the debtor is not in the creditor's 市州
        reg = np.where(~far, f["region_idx"].to_numpy()[cred], 0)
        zh = np.array(ZIHAO, dtype=object)
        pool = g.integers(0, 8, n_cases)
        dname = np.empty(n_cases, dtype=object)
        b_i = pool % len(DEBTOR_BUREAUS)
        dname[dtype_idx == 0] = (rnames[reg].astype(object) + np.array(DEBTOR_BUREAUS, dtype=object)[b_i])[
            dtype_idx == 0
        ]
        dname[dtype_idx == 1] = (rnames[reg].astype(object) + np.array(DEBTOR_INSTITUTIONS, dtype=object)[pool])[
            dtype_idx == 1
        ]
        zz = zh[(pool * 7 + reg) % len(zh)] + zh[(pool * 3 + reg * 5 + 1) % len(zh)]
        dname[dtype_idx == 2] = (shorts[reg].astype(object) + zz + np.array(SOE_KINDS, dtype=object)[pool % 6])[
            dtype_idx == 2
        ]
        dname[dtype_idx == 3] = ("湖北" + zz + np.array(PRIVATE_KINDS, dtype=object)[pool % 5])[dtype_idx == 3]
        debtor_div = codes[reg].astype(object)
        # Province-level debtors (所属地区代码 420000: 省直机关, 省属国企): part of the cases whose debtor is outside the
        # creditor's 市州. Chosen from draws already made, so the rest of the sample stays as it was.
        prov_gov = far & (pool < 2) & (dtype_idx == 0)
        prov_soe = far & (pool < 2) & (dtype_idx == 2)
        dname[prov_gov] = ("湖北省" + np.array(PROVINCE_BUREAUS, dtype=object)[b_i])[prov_gov]
        dname[prov_soe] = ("湖北" + zz + np.array(SOE_KINDS, dtype=object)[pool % 6])[prov_soe]
        debtor_div[prov_gov | prov_soe] = "420000"
        # Debtor codes: 机关 11…, 事业单位 12…, companies 91…; a stable body per debtor name.
        dus = np.empty(n_cases, dtype=object)
        cache: dict[str, str] = {}
        alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        for i in range(n_cases):  # a few hundred distinct debtors: cheap
            key = dname[i]
            if key not in cache:
                h = hash_str(key)
                body = "".join(alnum[(h >> (5 * j)) % 31] for j in range(8))
                reg_kind = {0: ("1", "1"), 1: ("1", "2")}.get(int(dtype_idx[i]), ("9", "1"))
                body = body if reg_kind[0] == "9" else "".join(c if c.isdigit() else str(ord(c) % 10) for c in body)
                cache[key] = uscc_mod.make(str(debtor_div[i]), body, reg_kind[0], reg_kind[1])
            dus[i] = cache[key]
        show_dus = g.random(n_cases) < 0.6

        regprefix = np.array([c[:4] for c in codes])[f["region_idx"].to_numpy()[cred]]
        case_id = np.array([f"QQ{regprefix[i]}-{str(found[i])[:4]}-{i + 1:05d}" for i in range(n_cases)], dtype=object)

        # Part of the stock found at the first ledger had already been paid in part.
        pre = (found_off == 0) & ~never & (g.random(n_cases) < 0.3)
        repaid_c = np.where(pre, np.round(amount_c * g.uniform(0.1, 0.6, n_cases)).astype(np.int64), 0)
        last_paid = np.where(pre, first - g.integers(5, 80, n_cases).astype("timedelta64[D]"), np.datetime64("NaT"))
        last_paid = last_paid.astype("datetime64[D]")
        out = []
        prev = None
        for k, d in enumerate(ledger_dates):
            step = k + 1
            live = found <= d
            if prev is not None:
                open_ = live & (found <= prev) & (repaid_c < amount_c) & ~never
                age_q = (d - found).astype(int) / 91
                hazard = np.clip(0.03 + 0.012 * step + 0.006 * age_q, 0, 0.4) * np.where(disputed, 0.3, 1.0)
                hazard = np.where(lawsuit_at <= step, 0.06, hazard)
                pay = open_ & (g.random(n_cases) < hazard)
                full = g.random(n_cases) < 0.55
                part = np.round((amount_c - repaid_c) * g.uniform(0.2, 0.8, n_cases)).astype(np.int64)
                new = np.where(full, amount_c, np.minimum(repaid_c + np.maximum(part, 1), amount_c))
                repaid_c = np.where(pay, new, repaid_c)
                paid_day = prev + g.integers(1, max(2, int((d - prev).astype(int)) + 1), n_cases).astype(
                    "timedelta64[D]"
                )
                last_paid = np.where(pay, paid_day, last_paid)
            prev = d
            lawsuit = (lawsuit_at <= step) & (repaid_c < amount_c)
            status = np.select(
                [repaid_c >= amount_c, lawsuit, repaid_c > 0], ["已清偿", "诉讼中", "部分清偿"], "未清偿"
            )
            sel = np.flatnonzero(live)
            out.append(
                pd.DataFrame(
                    {
                        "as_of": np.full(sel.size, d),
                        "case_id": case_id[sel],
                        "creditor_uscc": f["uscc"].to_numpy()[cred[sel]],
                        "creditor_name": f["name"].to_numpy()[cred[sel]],
                        "debtor_name": dname[sel],
                        "debtor_uscc": np.where(show_dus[sel], dus[sel], None),
                        "debtor_type": np.array(["机关", "事业单位", "国有大型企业", "民营大型企业"], dtype=object)[
                            dtype_idx[sel]
                        ],
                        "division_code": debtor_div[sel],
                        "delivered_on": delivered[sel],
                        "accepted_on": accepted[sel],
                        "agreed_term_days": pd.array(np.where(term[sel] > 0, term[sel], None), dtype="Int64"),
                        "amount": amount_c[sel],
                        "disputed": disputed[sel],
                        "repaid": repaid_c[sel],
                        "last_repaid_on": np.where(repaid_c[sel] > 0, last_paid[sel], np.datetime64("NaT")),
                        "status": status[sel],
                    }
                )
            )
        return out

    # ------------------------------------------------------------------ financing
    def financing(self, first_day: np.datetime64, last_day: np.datetime64) -> pd.DataFrame:
        """Applications with applied_on in [first_day, last_day]; `decided_on` says when the decision came."""
        g = rng(self.seed, S_FIN)
        f = self.firms
        # Applications over a fixed span so that the same firm-days come out for any sub-window (increment).
        span0, span1 = np.datetime64("2019-01-01"), np.datetime64("2027-12-31")
        days = int((span1 - span0).astype(int)) + 1
        size = f["size"].to_numpy()
        rate = np.array([0.55, 0.5, 0.45])[size] / 365
        counts = g.poisson(rate * days)
        firm = np.repeat(np.arange(self.n), counts)
        m = firm.size
        applied = span0 + g.integers(0, days, m).astype("timedelta64[D]")
        # The 2020 lockdown: few applications in Feb; more in Mar–May (relending support).
        lull = (applied >= np.datetime64("2020-01-24")) & (applied < np.datetime64("2020-03-10")) & (g.random(m) < 0.7)
        applied = np.where(lull, applied + np.timedelta64(45, "D"), applied)
        ch = g.choice(7, size=m, p=[0.3, 0.25, 0.18, 0.04, 0.12, 0.01, 0.1])
        channels = np.array(
            ["信用贷款", "抵押贷款", "担保贷款", "知识产权质押", "供应链金融", "债券融资", "融资租赁"], dtype=object
        )
        channel = channels[ch]
        fs = size[firm]
        ptype_i = g.choice(4, size=m, p=[0.35, 0.2, 0.4, 0.05])
        ptypes = np.array(["国有大型银行", "股份制银行", "城商行农商行", "其他"], dtype=object)
        ptype = ptypes[ptype_i]
        ptype = np.where(channel == "融资租赁", "其他", ptype)
        short = self.regions["region_short"].to_numpy()[f["region_idx"].to_numpy()[firm]].astype(object)
        pick = g.integers(0, 6, m)
        provider = np.empty(m, dtype=object)
        for t, names in BANKS.items():
            sel = ptype == t
            arr = np.array(names, dtype=object)[pick[sel] % len(names)]
            provider[sel] = [a.format(short=s) for a, s in zip(arr, short[sel], strict=True)]
        big = np.isin(ptype, ["国有大型银行", "股份制银行"]) & (g.random(m) < 0.8)
        provider = np.where(big, provider + short + "分行", provider)
        guarantor = np.where(
            channel == "担保贷款", [GUARANTORS[i % 3].format(short=s) for i, s in zip(pick, short, strict=True)], None
        )
        amount = np.exp(g.normal(np.log(np.array([50, 300, 1500])[fs]), 0.7))
        amount_c = _cents(np.round(amount / 5) * 5 + 5)
        p_refuse = np.array([0.28, 0.11, 0.05])[fs]
        u = g.random(m)
        decision = np.where(u < p_refuse, "拒绝", np.where(u < p_refuse + 0.13, "部分获批", "获批")).astype(object)
        approved_c = np.where(
            decision == "获批",
            amount_c,
            np.where(decision == "部分获批", np.round(amount_c * g.uniform(0.4, 0.9, m) / 100) * 100, 0),
        )
        approved_c = approved_c.astype(np.int64)
        decided = applied + g.integers(2, 40, m).astype("timedelta64[D]")
        disbursed = np.where(
            decision != "拒绝", decided + g.integers(0, 10, m).astype("timedelta64[D]"), np.datetime64("NaT")
        )
        year = applied.astype("datetime64[Y]").astype(int) + 1970
        lpr = np.select(
            [year <= 2019, year == 2020, year == 2021, year == 2022, year == 2023, year == 2024],
            [4.35, 3.95, 3.85, 3.65, 3.45, 3.35],
            3.1,
        )
        inclusive = (fs <= 1) & (amount_c <= 100000) & (channel != "债券融资")
        spread = np.select(
            [ptype == "国有大型银行", ptype == "股份制银行", ptype == "城商行农商行"], [0.3, 0.8, 1.3], 4.0
        )
        rate_pct = np.round(lpr + spread + np.array([1.0, 0.5, 0.0])[fs] - 0.3 * inclusive + g.normal(0, 0.25, m), 2)
        rate_pct = np.where(decision == "拒绝", np.nan, np.clip(rate_pct, 2.2, 18))
        fee = np.where((channel == "担保贷款") & (decision != "拒绝"), np.round(g.uniform(0.5, 1.5, m), 2), np.nan)
        term = np.array([6, 12, 12, 12, 24, 36])[g.integers(0, 6, m)]
        refusal = np.where(decision == "拒绝", np.array(REFUSALS, dtype=object)[g.integers(0, len(REFUSALS), m)], None)
        df = pd.DataFrame(
            {
                "uscc": f["uscc"].to_numpy()[firm],
                "channel": channel,
                "provider": provider,
                "provider_type": ptype,
                "guarantor": guarantor,
                "applied_on": applied,
                "amount_applied": amount_c,
                "decision": decision,
                "amount_approved": approved_c,
                "disbursed_on": disbursed,
                "rate_pct": rate_pct,
                "guarantee_fee_pct": fee,
                "term_months": term,
                "inclusive_small_micro": inclusive,
                "refusal_reason": refusal,
                "decided_on": decided,
                "firm": firm,
            }
        )
        # Qualified equity rounds (股权融资 from 合格机构投资者, paid in) for some innovative firms.
        q = f["q"].to_numpy()
        rounds = g.poisson(np.where(q > 1.2, 0.45, np.where(f["title"].to_numpy() > 0, 0.3, 0.0)))
        ef = np.repeat(np.arange(self.n), rounds)
        e = ef.size
        e_applied = np.datetime64("2019-06-01") + g.integers(0, 3000, e).astype("timedelta64[D]")
        e_amount = _cents(np.round(np.exp(g.normal(np.log(2500), 0.8, e)) / 50) * 50 + 500)
        e_decided = e_applied + g.integers(20, 60, e).astype("timedelta64[D]")
        eshort = self.regions["region_short"].to_numpy()[f["region_idx"].to_numpy()[ef]].astype(object)
        zh = np.array(ZIHAO, dtype=object)
        eq = pd.DataFrame(
            {
                "uscc": f["uscc"].to_numpy()[ef],
                "channel": "股权融资",
                "provider": np.where(g.random(e) < 0.5, "湖北", eshort)
                + zh[g.integers(0, len(zh), e)]
                + zh[g.integers(0, len(zh), e)]
                + np.array(INVESTORS, dtype=object)[g.integers(0, 3, e)],
                "provider_type": "合格机构投资者",
                "guarantor": None,
                "applied_on": e_applied,
                "amount_applied": e_amount,
                "decision": "获批",
                "amount_approved": e_amount,
                "disbursed_on": e_decided + np.timedelta64(15, "D"),
                "rate_pct": np.nan,
                "guarantee_fee_pct": np.nan,
                "term_months": 0,
                "inclusive_small_micro": False,
                "refusal_reason": None,
                "decided_on": e_decided,
                "firm": ef,
            }
        )
        df = pd.concat([df, eq], ignore_index=True)
        df["term_months"] = pd.array(np.where(df["term_months"] > 0, df["term_months"], None), dtype="Int64")
        # Applications only from firms that existed and were being monitored.
        start_day = (f["start_t"].to_numpy() - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
        df = df[
            (df["applied_on"] >= first_day)
            & (df["applied_on"] <= last_day)
            & (df["applied_on"].to_numpy() >= start_day[df["firm"].to_numpy()])
        ]
        df = df.sort_values(["applied_on", "uscc", "channel"], kind="stable").reset_index(drop=True)
        if df.empty:
            df["record_id"] = pd.Series(dtype=object)
            return df
        # Stable record ids from firm, day and channel: the same application keeps its id in every file.
        chan_code = pd.Categorical(df["channel"], categories=[*channels, "股权融资"]).codes.astype(np.int64)
        df["record_id"] = (
            "RZ"
            + df["applied_on"].dt.strftime("%Y%m%d")
            + "-"
            + pd.Series(df["firm"].to_numpy() * 10 + chan_code).map("{:07d}".format)
        ).to_numpy(dtype=object)
        df = df.drop_duplicates("record_id").reset_index(drop=True)
        return df


def hash_str(s: str) -> int:
    """A stable (unsalted) string hash."""
    h = 1469598103934665603
    for ch in s.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & ((1 << 64) - 1)
    return h
