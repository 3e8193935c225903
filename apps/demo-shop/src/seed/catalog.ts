/** Static reference data for the seed: realistic Chinese products, places, names and carriers. */

export interface ProductSpec {
  title: string;
  category: 'apparel' | 'electronics' | 'food' | 'beauty';
  brand: string;
  /** List price of the first variant, in fen. */
  priceFen: number;
  variants: string[];
}

export const PRODUCTS: readonly ProductSpec[] = [
  {
    title: '轻薄羽绒服 女款 短款立领',
    category: 'apparel',
    brand: '雪域',
    priceFen: 59900,
    variants: ['黑色 / M', '黑色 / L', '米白 / M', '米白 / L'],
  },
  {
    title: '加绒卫衣 男款 连帽宽松',
    category: 'apparel',
    brand: '简站',
    priceFen: 19900,
    variants: ['灰色 / L', '灰色 / XL', '藏青 / XL'],
  },
  {
    title: '高腰直筒牛仔裤',
    category: 'apparel',
    brand: '简站',
    priceFen: 22900,
    variants: ['浅蓝 / 27', '浅蓝 / 28', '深蓝 / 29'],
  },
  {
    title: '羊毛混纺双面大衣',
    category: 'apparel',
    brand: '雪域',
    priceFen: 129900,
    variants: ['驼色 / S', '驼色 / M', '燕麦 / M'],
  },
  {
    title: '运动跑鞋 缓震透气',
    category: 'apparel',
    brand: '疾风',
    priceFen: 49900,
    variants: ['白色 / 40', '白色 / 42', '黑色 / 43'],
  },
  {
    title: '纯棉保暖内衣套装',
    category: 'apparel',
    brand: '暖阳',
    priceFen: 12900,
    variants: ['肤色 / L', '灰色 / XL'],
  },
  { title: '真丝围巾 印花', category: 'apparel', brand: '锦绣', priceFen: 39900, variants: ['青花', '绯红'] },
  {
    title: '儿童加厚棉服',
    category: 'apparel',
    brand: '暖阳',
    priceFen: 25900,
    variants: ['粉色 / 110', '蓝色 / 120', '蓝色 / 130'],
  },
  {
    title: '无线降噪耳机 Pro',
    category: 'electronics',
    brand: '声悦',
    priceFen: 129900,
    variants: ['曜石黑', '月光白'],
  },
  {
    title: '65W 氮化镓快充充电器',
    category: 'electronics',
    brand: '极电',
    priceFen: 14900,
    variants: ['白色 双口', '白色 三口'],
  },
  {
    title: '智能手表 运动版',
    category: 'electronics',
    brand: '声悦',
    priceFen: 99900,
    variants: ['42mm 黑', '46mm 银'],
  },
  {
    title: '机械键盘 87键 热插拔',
    category: 'electronics',
    brand: '键客',
    priceFen: 39900,
    variants: ['红轴', '茶轴', '青轴'],
  },
  {
    title: '20000mAh 移动电源',
    category: 'electronics',
    brand: '极电',
    priceFen: 12900,
    variants: ['黑色', '白色'],
  },
  {
    title: '4K 投影仪 家用',
    category: 'electronics',
    brand: '光影',
    priceFen: 399900,
    variants: ['标准版', '旗舰版'],
  },
  {
    title: '扫地机器人 自动集尘',
    category: 'electronics',
    brand: '净客',
    priceFen: 259900,
    variants: ['白色'],
  },
  {
    title: '电动牙刷 声波',
    category: 'electronics',
    brand: '净客',
    priceFen: 29900,
    variants: ['粉色', '黑色'],
  },
  {
    title: '空气炸锅 5L',
    category: 'electronics',
    brand: '厨神',
    priceFen: 39900,
    variants: ['奶白', '墨绿'],
  },
  { title: '五常大米 10kg', category: 'food', brand: '稻香村野', priceFen: 12800, variants: ['10kg 装'] },
  {
    title: '每日坚果 30袋礼盒',
    category: 'food',
    brand: '果园记',
    priceFen: 15900,
    variants: ['750g', '1050g'],
  },
  {
    title: '阳澄湖大闸蟹 礼券',
    category: 'food',
    brand: '湖鲜',
    priceFen: 59800,
    variants: ['4对 公3.5两母2.5两', '6对 公4两母3两'],
  },
  {
    title: '云南普洱熟茶 饼',
    category: 'food',
    brand: '茶山',
    priceFen: 26800,
    variants: ['357g', '357g×2'],
  },
  {
    title: '新疆阿克苏冰糖心苹果',
    category: 'food',
    brand: '果园记',
    priceFen: 6990,
    variants: ['5斤', '10斤'],
  },
  {
    title: '内蒙古风干牛肉干',
    category: 'food',
    brand: '草原情',
    priceFen: 9900,
    variants: ['原味 500g', '香辣 500g'],
  },
  { title: '挂耳咖啡 50片', category: 'food', brand: '豆语', priceFen: 8900, variants: ['中深烘', '浅烘'] },
  {
    title: '精华液 修护 50ml',
    category: 'beauty',
    brand: '颜究所',
    priceFen: 69900,
    variants: ['50ml', '100ml'],
  },
  { title: '氨基酸洁面乳', category: 'beauty', brand: '颜究所', priceFen: 8900, variants: ['120g'] },
  {
    title: '丝绒哑光口红',
    category: 'beauty',
    brand: '朱颜',
    priceFen: 32000,
    variants: ['#999 正红', '#316 豆沙', '#888 枫叶'],
  },
  { title: '补水保湿面膜 20片', category: 'beauty', brand: '水漾', priceFen: 15900, variants: ['20片'] },
  { title: '防晒霜 SPF50+', category: 'beauty', brand: '水漾', priceFen: 19900, variants: ['50ml'] },
  { title: '香水 木质调', category: 'beauty', brand: '朱颜', priceFen: 89900, variants: ['50ml', '100ml'] },
];

export const CATEGORY_SHARE = [
  ['apparel', 40],
  ['electronics', 25],
  ['food', 20],
  ['beauty', 15],
] as const;

export interface Warehouse {
  code: string;
  name: string;
  city: string;
  province: string;
}

export const WAREHOUSES: readonly Warehouse[] = [
  { code: 'EC-SH', name: '华东仓', city: '上海市', province: '上海' },
  { code: 'SC-GZ', name: '华南仓', city: '广州市', province: '广东' },
  { code: 'NC-BJ', name: '华北仓', city: '北京市', province: '北京' },
];

/** [province, city, districts, streets, nearest warehouse, transit hub] */
export const PLACES: readonly (readonly [
  string,
  string,
  readonly string[],
  readonly string[],
  string,
  string,
])[] = [
  [
    '上海',
    '上海市',
    ['浦东新区', '徐汇区', '闵行区', '静安区'],
    ['张杨路', '漕溪北路', '七莘路', '南京西路'],
    'EC-SH',
    '上海转运中心',
  ],
  [
    '江苏',
    '南京市',
    ['鼓楼区', '江宁区', '建邺区'],
    ['中山北路', '双龙大道', '江东中路'],
    'EC-SH',
    '南京转运中心',
  ],
  [
    '江苏',
    '苏州市',
    ['姑苏区', '工业园区', '吴中区'],
    ['人民路', '星湖街', '东吴北路'],
    'EC-SH',
    '苏州转运中心',
  ],
  [
    '浙江',
    '杭州市',
    ['西湖区', '余杭区', '滨江区'],
    ['文三路', '文一西路', '江南大道'],
    'EC-SH',
    '杭州转运中心',
  ],
  ['浙江', '宁波市', ['鄞州区', '海曙区'], ['天童南路', '中山西路'], 'EC-SH', '宁波转运中心'],
  ['安徽', '合肥市', ['蜀山区', '包河区'], ['长江西路', '马鞍山路'], 'EC-SH', '合肥转运中心'],
  [
    '湖北',
    '武汉市',
    ['洪山区', '江汉区', '武昌区'],
    ['珞喻路', '解放大道', '中南路'],
    'EC-SH',
    '武汉转运中心',
  ],
  [
    '广东',
    '广州市',
    ['天河区', '海珠区', '番禺区'],
    ['天河路', '新港中路', '市桥路'],
    'SC-GZ',
    '广州转运中心',
  ],
  [
    '广东',
    '深圳市',
    ['南山区', '福田区', '龙华区'],
    ['科技园路', '深南大道', '民治大道'],
    'SC-GZ',
    '深圳转运中心',
  ],
  ['广东', '东莞市', ['南城街道', '松山湖'], ['鸿福路', '新城大道'], 'SC-GZ', '东莞转运中心'],
  ['福建', '厦门市', ['思明区', '湖里区'], ['湖滨南路', '嘉禾路'], 'SC-GZ', '厦门转运中心'],
  ['广西', '南宁市', ['青秀区', '西乡塘区'], ['民族大道', '大学东路'], 'SC-GZ', '南宁转运中心'],
  ['湖南', '长沙市', ['岳麓区', '芙蓉区'], ['麓山南路', '五一大道'], 'SC-GZ', '长沙转运中心'],
  [
    '四川',
    '成都市',
    ['武侯区', '锦江区', '高新区'],
    ['人民南路', '春熙路', '天府大道'],
    'SC-GZ',
    '成都转运中心',
  ],
  ['重庆', '重庆市', ['渝中区', '江北区'], ['解放碑', '观音桥步行街'], 'SC-GZ', '重庆转运中心'],
  [
    '北京',
    '北京市',
    ['朝阳区', '海淀区', '丰台区', '东城区'],
    ['建国路', '中关村大街', '丰台北路', '东直门内大街'],
    'NC-BJ',
    '北京转运中心',
  ],
  ['天津', '天津市', ['南开区', '河西区'], ['鞍山西道', '友谊路'], 'NC-BJ', '天津转运中心'],
  ['河北', '石家庄市', ['长安区', '桥西区'], ['中山东路', '裕华西路'], 'NC-BJ', '石家庄转运中心'],
  ['山东', '济南市', ['历下区', '市中区'], ['泉城路', '经十路'], 'NC-BJ', '济南转运中心'],
  ['山东', '青岛市', ['市南区', '崂山区'], ['香港中路', '海尔路'], 'NC-BJ', '青岛转运中心'],
  ['辽宁', '沈阳市', ['和平区', '沈河区'], ['太原街', '青年大街'], 'NC-BJ', '沈阳转运中心'],
  ['陕西', '西安市', ['雁塔区', '碑林区'], ['小寨东路', '南大街'], 'NC-BJ', '西安转运中心'],
  ['河南', '郑州市', ['金水区', '二七区'], ['花园路', '大学路'], 'NC-BJ', '郑州转运中心'],
];

export const CARRIERS = [
  { code: 'sf', name: '顺丰速运', prefix: 'SF', weight: 25 },
  { code: 'yto', name: '圆通速递', prefix: 'YT', weight: 22 },
  { code: 'zto', name: '中通快递', prefix: '7', weight: 25 },
  { code: 'jd', name: '京东物流', prefix: 'JDV', weight: 13 },
  { code: 'sto', name: '申通快递', prefix: '77', weight: 15 },
] as const;

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
export const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '晓东',
  '子涵',
  '雨桐',
  '浩然',
  '欣怡',
  '梓萱',
  '一诺',
  '思远',
];
export const NICK_WORDS = [
  '爱购物的',
  '快乐',
  '小',
  '追光的',
  '吃货',
  '数码控',
  '精致',
  '佛系',
  '早起的',
  '夜猫子',
];
export const NICK_NOUNS = ['猫', '鱼', '兔子', '少年', '阿姨', '大叔', '同学', '小熊', '柠檬', '星星'];
export const EMAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'foxmail.com', 'sina.com', 'outlook.com'];

/** Tiers as the shop names them, with how common each is among members. */
export const TIERS = [
  ['普通', 60, 'regular'],
  ['银卡', 25, 'silver'],
  ['金卡', 12, 'gold'],
  ['黑钻', 3, 'black_diamond'],
] as const;

export const COUPON_TEMPLATES = [
  { id: 'CT-D11-300-30', name: '双11 满300减30', valueFen: 3000, minSpendFen: 30000, validDays: 11 },
  { id: 'CT-D11-200-20', name: '双11 满200减20', valueFen: 2000, minSpendFen: 20000, validDays: 11 },
  { id: 'CT-SHOP-500-50', name: '店铺券 满500减50', valueFen: 5000, minSpendFen: 50000, validDays: 30 },
  { id: 'CT-99-10', name: '满99减10', valueFen: 1000, minSpendFen: 9900, validDays: 30 },
  { id: 'CT-NEW-5', name: '新人无门槛 5元', valueFen: 500, minSpendFen: 0, validDays: 30 },
  { id: 'CT-COMP', name: '客服补偿券', valueFen: 0, minSpendFen: 0, validDays: 90 },
] as const;

export const AFTERSALE_REASONS = {
  return: ['尺码不合适', '不喜欢/效果不好', '商品与描述不符', '质量问题', '七天无理由退货'],
  exchange: ['尺码不合适', '颜色发错', '商品有瑕疵'],
  refund_only: ['少件/漏发', '商品破损', '价保申请'],
} as const;
