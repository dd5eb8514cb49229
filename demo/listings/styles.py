"""How each public list looks in the demo: who issues its decisions, how they are numbered, what
its subjects did, how severe, and how its entries end.

One row per list code. A list missing here gets no synthetic entries, and the demo tests fail:
every list with a public search page is expected to appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Who issues a list's decisions: the owner itself, or the owner's system at a lower level.
OWNER = "owner"
MARKET_REGULATION = "market_regulation"  # county, prefecture or provincial 市场监督管理局
PROVINCIAL_TAX = "provincial_tax"  # 国家税务总局××省税务局

# How entries end. Shares are of the list's entries; the rest stay in force.
EXPIRED, REMOVED, REPAIRED, REVOKED = "expired", "removed", "repaired", "revoked"

# Publication cycles of lists rated at fixed dates rather than decided case by case.
HALF_YEAR = "half_year"  # Jiangsu environmental credit: the rating as of 30 June / 31 December
ANNUAL = "annual"  # grade-A taxpayers: published each April for the year before

SERIOUS_ONLY = (("serious", 85), ("extremely_serious", 15))
SERIOUS_MOSTLY = (("serious", 70), ("extremely_serious", 10), ("general", 20))
GENERAL_MOSTLY = (("general", 75), ("serious", 25))
GENERAL_ONLY = (("general", 1),)
REDLIST = (("n/a", 1),)

# Companies proper; the court lists and a food-safety list also hold individual businesses.
CORPORATE = (
    "llc",
    "joint_stock",
    "partnership",
    "sole_proprietorship",
    "state_owned",
    "collective",
    "foreign_invested",
)

BLACKLIST_ENDINGS = ((EXPIRED, 0.15), (REPAIRED, 0.12), (REMOVED, 0.05), (REVOKED, 0.04))


@dataclass(frozen=True)
class ListStyle:
    code: str
    issuers: str
    # {prefix} is the issuing agency's short form (津, 石家庄, 石长); {year} the decision's year;
    # {serial} its running number within the agency and year; {customs} a customs code.
    number: str
    # {amount} is in 万元 (10 to 3,000), {small} too (1 to 200), {count} a number of people or
    # invoices, {share} a percentage, {rating_year} the year a rating is for.
    circumstances: tuple[str, ...]
    severities: tuple[tuple[str, int], ...]
    endings: tuple[tuple[str, float], ...] = BLACKLIST_ENDINGS
    person_share: float = 0.0  # share of persons, on lists that hold both
    entity_types: tuple[str, ...] = CORPORATE
    industries: tuple[str, ...] = ()  # preferred industries of enterprise subjects (any when empty)
    trade_words: tuple[str, ...] = ()  # trade of the firms registered for the list when too few fit
    size: float = 1.0  # entries relative to the per-list count
    cycle: str = ""
    # from_abnormal: half the subjects come from the abnormal-operations directory;
    # county: the district whose companies the list holds, within the list's region.
    extra: dict = field(default_factory=dict)


STYLES = {
    style.code: style
    for style in (
        ListStyle(
            code="ndrc-finance",
            issuers=OWNER,
            number="发改财金信〔{year}〕{serial}号",
            circumstances=(
                "恶意逃废金融债务，拒不归还到期贷款本息{amount}万元",
                "以虚假材料骗取金融机构贷款{amount}万元",
                "非法吸收公众存款，涉案金额{amount}万元",
                "恶意拖欠融资租赁租金{amount}万元",
            ),
            severities=SERIOUS_ONLY,
            person_share=0.35,
            industries=("J", "L", "F"),
            trade_words=("投资管理", "融资租赁", "商业保理", "资产管理"),
            size=1.5,
        ),
        ListStyle(
            code="sta-major-tax-violations",
            issuers=PROVINCIAL_TAX,
            number="{prefix}税稽罚〔{year}〕{serial}号",
            circumstances=(
                "虚开增值税专用发票{count}份，价税合计{amount}万元",
                "偷税{amount}万元，占各税种应纳税总额的{share}%",
                "逃避追缴欠税{amount}万元",
                "骗取出口退税{amount}万元",
            ),
            severities=SERIOUS_ONLY,
            person_share=0.2,
            industries=("F", "C", "L"),
            trade_words=("商贸", "贸易", "供应链", "进出口"),
            endings=((EXPIRED, 0.15), (REPAIRED, 0.12), (REMOVED, 0.06), (REVOKED, 0.03)),
            size=1.5,
        ),
        ListStyle(
            code="gac-dishonest",
            issuers=OWNER,
            number="署企信〔{year}〕{serial}号",
            circumstances=(
                "因走私行为被海关行政处罚，案值{amount}万元",
                "拖欠应缴税款、罚没款项{amount}万元，逾期未缴纳",
                "申报不实，影响国家税款征收，漏缴税款{amount}万元",
                "被海关依法暂停从事报关业务",
            ),
            severities=SERIOUS_MOSTLY,
            industries=("F", "C"),
            trade_words=("进出口贸易", "国际贸易", "国际物流", "报关"),
        ),
        ListStyle(
            code="samr-food-drug",
            issuers=MARKET_REGULATION,
            number="{prefix}市监食药信〔{year}〕{serial}号",
            circumstances=(
                "生产销售不符合食品安全标准的食品，货值金额{small}万元",
                "在食品中添加非食品用化学物质",
                "销售假药、劣药，货值金额{small}万元",
                "生产经营未经注册的医疗器械",
            ),
            severities=SERIOUS_ONLY,
            person_share=0.15,
            entity_types=(*CORPORATE, "individual_business"),
            industries=("C", "F", "H"),
            trade_words=("食品", "餐饮管理", "医药", "保健食品"),
        ),
        ListStyle(
            code="mohrss-wage-arrears",
            issuers=OWNER,
            number="人社欠薪列〔{year}〕{serial}号",
            circumstances=(
                "克扣、无故拖欠农民工工资{small}万元，涉及{count}人",
                "拖欠农民工工资引发群体性事件",
                "拒不支付劳动报酬，经责令限期支付逾期未支付",
            ),
            severities=SERIOUS_MOSTLY,
            person_share=0.25,
            industries=("E",),
            trade_words=("建筑工程", "建筑劳务", "市政工程", "装饰工程"),
            endings=((EXPIRED, 0.15), (REPAIRED, 0.1), (REMOVED, 0.1), (REVOKED, 0.03)),
            size=1.5,
        ),
        ListStyle(
            code="caac-no-fly",
            issuers=OWNER,
            number="民航限乘〔{year}〕{serial}号",
            circumstances=(
                "在航空器内吸烟、使用明火",
                "强占座位、行李架，扰乱客舱秩序",
                "编造、故意传播涉及民航空防安全的虚假恐怖信息",
                "冲闯、堵塞登机口，妨碍航班正常运行",
            ),
            severities=GENERAL_MOSTLY,
            endings=((EXPIRED, 0.2), (REMOVED, 0.05), (REVOKED, 0.05)),
        ),
        ListStyle(
            code="rail-no-ride",
            issuers=OWNER,
            number="铁总限乘〔{year}〕{serial}号",
            circumstances=(
                "在动车组列车上吸烟",
                "无票乘车且拒不补票",
                "霸占他人席位，扰乱站车秩序",
                "冲闯、堵塞检票口、站台门",
            ),
            severities=GENERAL_MOSTLY,
            endings=((EXPIRED, 0.2), (REMOVED, 0.05), (REVOKED, 0.05)),
        ),
        ListStyle(
            code="samr-serious-illegal",
            issuers=MARKET_REGULATION,
            number="{prefix}市监信列〔{year}〕{serial}号",
            circumstances=(
                "被列入经营异常名录届满3年仍未履行相关义务",
                "提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得公司登记",
                "因违法行为被处以较重行政处罚，情节严重",
                "拒不履行市场监督管理部门作出的行政处罚决定",
            ),
            severities=SERIOUS_ONLY,
            size=1.5,
            extra={"from_abnormal": True},
        ),
        ListStyle(
            code="mnr-survey-units",
            issuers=OWNER,
            number="自然资调信〔{year}〕{serial}号",
            circumstances=(
                "提交虚假调查监测成果",
                "调查监测成果质量经抽查不合格",
                "超越资质等级承揽调查监测项目",
            ),
            severities=GENERAL_MOSTLY,
            industries=("M",),
            trade_words=("测绘", "勘测规划", "地理信息", "土地调查"),
        ),
        ListStyle(
            code="haikou-property-services",
            issuers=OWNER,
            number="海住建物业信〔{year}〕{serial}号",
            circumstances=(
                "未按物业服务合同约定提供服务，经责令限期改正逾期未改正",
                "挪用住宅专项维修资金{small}万元",
                "物业服务合同终止后拒不退出物业服务区域",
            ),
            severities=SERIOUS_MOSTLY,
            industries=("K",),
            trade_words=("物业服务", "物业管理"),
            size=0.6,
        ),
        ListStyle(
            code="spb-express-delivery",
            issuers=OWNER,
            number="国邮管信〔{year}〕{serial}号",
            circumstances=(
                "违规收寄禁止寄递物品",
                "未按规定执行收寄验视和实名收寄制度",
                "擅自停止经营快递业务，未妥善处理尚未投递的快件",
            ),
            severities=GENERAL_MOSTLY,
            industries=("G",),
            trade_words=("快递", "速递", "物流"),
        ),
        ListStyle(
            code="weifang-fire-safety",
            issuers=OWNER,
            number="潍消失信〔{year}〕{serial}号",
            circumstances=(
                "消防设施、器材未保持完好有效，经责令改正拒不改正",
                "占用、堵塞、封闭疏散通道、安全出口",
                "发生造成人员死亡的火灾事故，负有责任",
            ),
            severities=SERIOUS_ONLY,
            industries=("H", "C", "F"),
            trade_words=("酒店管理", "商业管理", "化工", "家具"),
            size=0.6,
        ),
        ListStyle(
            code="nanning-qingxiu-training",
            issuers=OWNER,
            number="青教培黑〔{year}〕{serial}号",
            circumstances=(
                "未经审批擅自开展学科类校外培训",
                "超标超前培训，经责令整改拒不整改",
                "预收费超过规定期限，拒不退还学员费用{small}万元",
            ),
            severities=GENERAL_MOSTLY,
            industries=("P",),
            trade_words=("教育咨询", "培训学校", "文化艺术培训"),
            size=0.6,
            extra={"county": "450103"},  # 青秀区: the list's region is Nanning, its bureau the district's
        ),
        ListStyle(
            code="cac-online-content",
            issuers=OWNER,
            number="网信失信〔{year}〕{serial}号",
            circumstances=(
                "传播违法和不良信息，情节严重",
                "利用网络账号组织实施网络暴力",
                "编造、传播虚假信息，扰乱网络传播秩序",
            ),
            severities=SERIOUS_MOSTLY,
            person_share=0.4,
            industries=("I",),
            trade_words=("网络科技", "信息技术", "文化传媒"),
        ),
        ListStyle(
            code="ndrc-key-concern",
            issuers=OWNER,
            number="发改财金关注〔{year}〕{serial}号",
            circumstances=(
                "行政处罚决定生效后未在规定期限内履行",
                "一年内多次受到行政处罚",
                "失信行为尚未达到严重失信主体认定标准，列为重点关注对象",
            ),
            severities=GENERAL_ONLY,
            person_share=0.3,
            endings=((EXPIRED, 0.2), (REMOVED, 0.1), (REPAIRED, 0.08)),
        ),
        ListStyle(
            code="jiangsu-env-credit-red",
            issuers=OWNER,
            number="苏环信评〔{year}〕{serial}号",
            circumstances=(
                "超标排放水污染物，受到行政处罚",
                "未按规定开展自行监测",
                "危险废物贮存不符合规定",
            ),
            severities=GENERAL_ONLY,
            industries=("C",),
            trade_words=("化工", "印染", "电镀", "金属制品"),
            endings=((EXPIRED, 0.25), (REPAIRED, 0.1)),
            size=0.6,
            cycle=HALF_YEAR,
        ),
        ListStyle(
            code="jiangsu-env-credit-black",
            issuers=OWNER,
            number="苏环信评〔{year}〕{serial}号",
            circumstances=(
                "通过暗管、渗井等逃避监管的方式排放污染物",
                "篡改、伪造自动监测数据",
                "发生较大以上突发环境事件",
            ),
            severities=SERIOUS_ONLY,
            industries=("C",),
            trade_words=("化工", "印染", "电镀", "金属制品"),
            endings=((EXPIRED, 0.25), (REPAIRED, 0.1)),
            size=0.6,
            cycle=HALF_YEAR,
        ),
        ListStyle(
            code="gac-advanced-certified",
            issuers=OWNER,
            # The AEO code: AEOCN and the enterprise's ten-digit customs code.
            number="AEOCN{customs}",
            circumstances=("经海关认证，符合高级认证企业标准",),
            severities=REDLIST,
            endings=((REVOKED, 0.15),),
            industries=("C", "F"),
            trade_words=("进出口贸易", "国际贸易", "电子", "机械制造"),
        ),
        ListStyle(
            code="sta-grade-a",
            issuers=PROVINCIAL_TAX,
            number="{prefix}税信评〔{year}〕{serial}号",
            circumstances=("{rating_year}年度纳税信用评价为A级",),
            severities=REDLIST,
            endings=((EXPIRED, 0.25), (REVOKED, 0.05)),
            cycle=ANNUAL,
        ),
    )
}
