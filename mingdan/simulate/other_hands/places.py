"""Hand-made gazetteer of the places the simulated lists name, with every written form used.

Each entry: id, parent id, level, simplified full name, simplified short name, traditional full
name, pinyin with tones (words separated by spaces, the generic part last when there is one),
English forms, old postal / Hong Kong press forms, Wade-Giles form, and the district an entry
belongs to after the 2010 merger (宣武 into 西城, 崇文 into 东城). `weight` says how often
events of June 1989 are placed there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    """One gazetteer entry and the forms lists write it in."""

    id: str
    parent: str
    level: str          # province | city | district | street | landmark
    hans: str
    short: str
    hant: str
    pinyin: str
    english: tuple[str, ...]
    postal: tuple[str, ...]
    wade_giles: str
    weight: float = 0.0
    merged_into: str = ""


def _p(id_, parent, level, hans, short, hant, pinyin, english, postal, wg, weight=0.0, merged=""):
    return Place(id_, parent, level, hans, short, hant, pinyin, tuple(english.split(";")) if english else (),
                 tuple(postal.split(";")) if postal else (), wg, weight, merged)


PLACES = [
    _p("bj", "", "city", "北京市", "北京", "北京市", "Běijīng", "Beijing", "Peking", "Pei-ching", 3.0),
    _p("dongcheng", "bj", "district", "东城区", "东城", "東城區", "Dōngchéng", "Dongcheng District;Dongcheng", "", "Tung-ch'eng", 1.0),
    _p("xicheng", "bj", "district", "西城区", "西城", "西城區", "Xīchéng", "Xicheng District;Xicheng", "", "Hsi-ch'eng", 2.0),
    _p("chongwen", "bj", "district", "崇文区", "崇文", "崇文區", "Chóngwén", "Chongwen District;Chongwen", "", "Ch'ung-wen", 0.7, "dongcheng"),
    _p("xuanwu", "bj", "district", "宣武区", "宣武", "宣武區", "Xuānwǔ", "Xuanwu District;Xuanwu", "", "Hsüan-wu", 1.2, "xicheng"),
    _p("chaoyang", "bj", "district", "朝阳区", "朝阳", "朝陽區", "Cháoyáng", "Chaoyang District;Chaoyang", "", "Ch'ao-yang", 1.0),
    _p("haidian", "bj", "district", "海淀区", "海淀", "海淀區", "Hǎidiàn", "Haidian District;Haidian", "", "Hai-tien", 2.0),
    _p("fengtai", "bj", "district", "丰台区", "丰台", "豐台區", "Fēngtái", "Fengtai District;Fengtai", "", "Feng-t'ai", 0.6),
    _p("shijingshan", "bj", "district", "石景山区", "石景山", "石景山區", "Shíjǐngshān", "Shijingshan District;Shijingshan", "", "Shih-ching-shan", 0.3),
    _p("tiananmen", "dongcheng", "landmark", "天安门广场", "天安门广场", "天安門廣場", "Tiān'ānmén Guǎngchǎng",
       "Tiananmen Square;Tian'anmen Square", "Tienanmen Square;Tiananmen Square", "T'ien-an-men Kuang-ch'ang", 3.0),
    _p("monument", "tiananmen", "landmark", "人民英雄纪念碑", "纪念碑", "人民英雄紀念碑", "Rénmín Yīngxióng Jìniànbēi",
       "Monument to the People's Heroes", "", "Jen-min Ying-hsiung Chi-nien-pei", 0.3),
    _p("changan", "bj", "street", "长安街", "长安街", "長安街", "Cháng'ān Jiē",
       "Chang'an Avenue;Changan Avenue;Chang'an Boulevard;Avenue of Eternal Peace", "Changan Avenue;Chang An Avenue",
       "Ch'ang-an Chieh", 3.0),
    _p("w_changan", "xicheng", "street", "西长安街", "西长安街", "西長安街", "Xī Cháng'ān Jiē",
       "West Chang'an Avenue;Xichang'an Avenue", "West Changan Avenue", "Hsi Ch'ang-an Chieh", 1.0),
    _p("muxidi", "xicheng", "landmark", "木樨地", "木樨地", "木樨地", "Mùxīdì", "Muxidi;Muxidi Bridge", "Muxidi", "Mu-hsi-ti", 4.0),
    _p("liubukou", "xicheng", "landmark", "六部口", "六部口", "六部口", "Liùbùkǒu", "Liubukou", "Liubukou", "Liu-pu-k'ou", 2.0),
    _p("xidan", "xicheng", "landmark", "西单", "西单", "西單", "Xīdān", "Xidan;Xidan intersection", "Xidan", "Hsi-tan", 2.0),
    _p("nanchizi", "dongcheng", "street", "南池子", "南池子", "南池子", "Nánchízi", "Nanchizi;Nanchizi Street", "", "Nan-ch'ih-tzu", 1.0),
    _p("fuxingmen", "xicheng", "landmark", "复兴门", "复兴门", "復興門", "Fùxīngmén", "Fuxingmen", "Fuxingmen", "Fu-hsing-men", 2.0),
    _p("fuwai", "xicheng", "street", "复兴门外大街", "复外大街", "復興門外大街", "Fùxīngménwài Dàjiē",
       "Fuxingmenwai Avenue;Fuxingmenwai Street", "", "Fu-hsing-men-wai Ta-chieh", 1.0),
    _p("lishilu", "xicheng", "street", "礼士路", "礼士路", "禮士路", "Lǐshì Lù", "Lishi Road", "", "Li-shih Lu", 0.5),
    _p("sanlihe", "xicheng", "landmark", "三里河", "三里河", "三里河", "Sānlǐhé", "Sanlihe", "", "San-li-ho", 0.5),
    _p("xinhuamen", "xicheng", "landmark", "新华门", "新华门", "新華門", "Xīnhuámén", "Xinhuamen;Xinhua Gate", "Xinhua Gate", "Hsin-hua-men", 0.6),
    _p("nanchangjie", "xicheng", "street", "南长街", "南长街", "南長街", "Nánchángjiē", "Nanchang Street;Nanchangjie", "", "Nan-ch'ang-chieh", 0.6),
    _p("gongzhufen", "haidian", "landmark", "公主坟", "公主坟", "公主墳", "Gōngzhǔfén", "Gongzhufen", "Gongzhufen", "Kung-chu-fen", 1.5),
    _p("junbo", "haidian", "landmark", "军事博物馆", "军博", "軍事博物館", "Jūnshì Bówùguǎn",
       "Military Museum;Military Museum of the Chinese People's Revolution", "Military Museum", "Chün-shih Po-wu-kuan", 1.0),
    _p("wukesong", "haidian", "landmark", "五棵松", "五棵松", "五棵松", "Wǔkēsōng", "Wukesong", "", "Wu-k'o-sung", 0.6),
    _p("wanshoulu", "haidian", "street", "万寿路", "万寿路", "萬壽路", "Wànshòu Lù", "Wanshou Road;Wanshoulu", "", "Wan-shou Lu", 0.6),
    _p("pku", "haidian", "landmark", "北京大学", "北大", "北京大學", "Běijīng Dàxué", "Peking University;Beijing University", "Peking University", "Pei-ching Ta-hsüeh", 0.4),
    _p("qianmen", "chongwen", "landmark", "前门", "前门", "前門", "Qiánmén", "Qianmen", "Chienmen", "Ch'ien-men", 1.0),
    _p("chongwenmen", "chongwen", "landmark", "崇文门", "崇文门", "崇文門", "Chóngwénmén", "Chongwenmen", "", "Ch'ung-wen-men", 0.5),
    _p("yongdingmen", "chongwen", "landmark", "永定门", "永定门", "永定門", "Yǒngdìngmén", "Yongdingmen", "", "Yung-ting-men", 0.4),
    _p("zhushikou", "xuanwu", "landmark", "珠市口", "珠市口", "珠市口", "Zhūshìkǒu", "Zhushikou", "", "Chu-shih-k'ou", 0.8),
    _p("hufangqiao", "xuanwu", "landmark", "虎坊桥", "虎坊桥", "虎坊橋", "Hǔfāngqiáo", "Hufangqiao", "", "Hu-fang-ch'iao", 0.8),
    _p("caishikou", "xuanwu", "landmark", "菜市口", "菜市口", "菜市口", "Càishìkǒu", "Caishikou", "", "Ts'ai-shih-k'ou", 0.6),
    _p("xuanwumen", "xuanwu", "landmark", "宣武门", "宣武门", "宣武門", "Xuānwǔmén", "Xuanwumen", "", "Hsüan-wu-men", 0.6),
    _p("tianqiao", "xuanwu", "landmark", "天桥", "天桥", "天橋", "Tiānqiáo", "Tianqiao", "", "T'ien-ch'iao", 0.4),
    _p("dongdan", "dongcheng", "landmark", "东单", "东单", "東單", "Dōngdān", "Dongdan", "", "Tung-tan", 0.6),
    _p("wangfujing", "dongcheng", "street", "王府井", "王府井", "王府井", "Wángfǔjǐng", "Wangfujing", "", "Wang-fu-ching", 0.3),
    _p("jianguomen", "dongcheng", "landmark", "建国门", "建国门", "建國門", "Jiànguómén", "Jianguomen", "", "Chien-kuo-men", 0.5),
    _p("hujialou", "chaoyang", "landmark", "呼家楼", "呼家楼", "呼家樓", "Hūjiālóu", "Hujialou", "", "Hu-chia-lou", 0.4),
    _p("dabeiyao", "chaoyang", "landmark", "大北窑", "大北窑", "大北窯", "Dàběiyáo", "Dabeiyao", "", "Ta-pei-yao", 0.4),
    _p("sichuan", "", "province", "四川省", "四川", "四川省", "Sìchuān", "Sichuan;Sichuan Province", "Szechwan;Szechuan", "Ssu-ch'uan"),
    _p("chengdu", "sichuan", "city", "成都市", "成都", "成都市", "Chéngdū", "Chengdu", "Chengtu", "Ch'eng-tu", 1.5),
    _p("tianfu", "chengdu", "landmark", "天府广场", "天府广场", "天府廣場", "Tiānfǔ Guǎngchǎng", "Tianfu Square", "", "T'ien-fu Kuang-ch'ang", 0.8),
    _p("renminnanlu", "chengdu", "street", "人民南路", "人民南路", "人民南路", "Rénmín Nánlù", "Renmin South Road;Renmin Nanlu", "", "Jen-min Nan-lu", 0.5),
    _p("chongqing", "sichuan", "city", "重庆市", "重庆", "重慶市", "Chóngqìng", "Chongqing", "Chungking", "Ch'ung-ch'ing", 0.6),
    _p("shanghai", "", "city", "上海市", "上海", "上海市", "Shànghǎi", "Shanghai", "Shanghai", "Shang-hai", 1.0),
    _p("renminsq_sh", "shanghai", "landmark", "人民广场", "人民广场", "人民廣場", "Rénmín Guǎngchǎng", "People's Square", "", "Jen-min Kuang-ch'ang", 0.3),
    _p("huangpu", "shanghai", "district", "黄浦区", "黄浦", "黃浦區", "Huángpǔ", "Huangpu District;Huangpu", "Whangpoo", "Huang-p'u", 0.3),
    _p("hunan", "", "province", "湖南省", "湖南", "湖南省", "Húnán", "Hunan;Hunan Province", "Hunan", "Hu-nan"),
    _p("changsha", "hunan", "city", "长沙市", "长沙", "長沙市", "Chángshā", "Changsha", "Changsha", "Ch'ang-sha", 0.8),
    _p("wuyisq", "changsha", "landmark", "五一广场", "五一广场", "五一廣場", "Wǔyī Guǎngchǎng", "Wuyi Square;May First Square", "", "Wu-i Kuang-ch'ang", 0.3),
    _p("shaanxi", "", "province", "陕西省", "陕西", "陝西省", "Shǎnxī", "Shaanxi;Shaanxi Province", "Shensi", "Shan-hsi"),
    _p("xian", "shaanxi", "city", "西安市", "西安", "西安市", "Xī'ān", "Xi'an;Xian", "Sian", "Hsi-an", 0.7),
    _p("xinchengsq", "xian", "landmark", "新城广场", "新城广场", "新城廣場", "Xīnchéng Guǎngchǎng", "Xincheng Square", "", "Hsin-ch'eng Kuang-ch'ang", 0.2),
    _p("hubei", "", "province", "湖北省", "湖北", "湖北省", "Húběi", "Hubei;Hubei Province", "Hupeh", "Hu-pei"),
    _p("wuhan", "hubei", "city", "武汉市", "武汉", "武漢市", "Wǔhàn", "Wuhan", "Wuhan", "Wu-han", 0.5),
    _p("guangdong", "", "province", "广东省", "广东", "廣東省", "Guǎngdōng", "Guangdong;Guangdong Province", "Kwangtung", "Kuang-tung"),
    _p("guangzhou", "guangdong", "city", "广州市", "广州", "廣州市", "Guǎngzhōu", "Guangzhou", "Canton", "Kuang-chou", 0.3),
    _p("zhejiang", "", "province", "浙江省", "浙江", "浙江省", "Zhèjiāng", "Zhejiang", "Chekiang", "Che-chiang"),
    _p("hangzhou", "zhejiang", "city", "杭州市", "杭州", "杭州市", "Hángzhōu", "Hangzhou", "Hangchow", "Hang-chou", 0.3),
    _p("jiangsu", "", "province", "江苏省", "江苏", "江蘇省", "Jiāngsū", "Jiangsu", "Kiangsu", "Chiang-su"),
    _p("nanjing", "jiangsu", "city", "南京市", "南京", "南京市", "Nánjīng", "Nanjing", "Nanking", "Nan-ching", 0.3),
    _p("tianjin", "", "city", "天津市", "天津", "天津市", "Tiānjīn", "Tianjin", "Tientsin", "T'ien-chin", 0.3),
    _p("liaoning", "", "province", "辽宁省", "辽宁", "遼寧省", "Liáoníng", "Liaoning", "Liaoning", "Liao-ning"),
    _p("shenyang", "liaoning", "city", "沈阳市", "沈阳", "瀋陽市", "Shěnyáng", "Shenyang", "Mukden", "Shen-yang", 0.2),
    _p("gansu", "", "province", "甘肃省", "甘肃", "甘肅省", "Gānsù", "Gansu", "Kansu", "Kan-su"),
    _p("lanzhou", "gansu", "city", "兰州市", "兰州", "蘭州市", "Lánzhōu", "Lanzhou", "Lanchow", "Lan-chou", 0.2),
]

BY_ID = {p.id: p for p in PLACES}


@lru_cache(maxsize=None)
def ancestors(place_id: str) -> tuple[Place, ...]:
    """The place and every place above it, nearest first."""
    chain = []
    while place_id:
        place = BY_ID[place_id]
        chain.append(place)
        place_id = place.parent
    return tuple(chain)


@lru_cache(maxsize=None)
def district_of(place_id: str) -> Place | None:
    """The district (or city, outside Beijing) a place lies in, or None above that level."""
    for place in ancestors(place_id):
        if place.level in ("district", "city"):
            return place
    return None


@lru_cache(maxsize=None)
def top_of(place_id: str) -> Place:
    """The province-level unit (Beijing, Shanghai, Tianjin count as one) the place lies in."""
    chain = ancestors(place_id)
    for place in chain:
        if place.level == "city" and place.parent in ("", "sichuan") and place.id in ("bj", "shanghai", "tianjin"):
            return place
    return chain[-1]


@lru_cache(maxsize=None)
def city_of(place_id: str) -> Place:
    """The city a place lies in (Beijing for a Beijing street)."""
    for place in ancestors(place_id):
        if place.level == "city":
            return place
    return BY_ID[place_id]
