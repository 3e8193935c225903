/**
 * Text for the read benchmark's generated tickets: e-commerce inquiries and replies during a sale, mostly
 * Chinese, some English. Placeholders: {p} product, {o} order number, {c} courier, {n} an amount in yuan,
 * {d} a number of days, {t} a tracking number, {city} a city. The mix decides how many tickets a search word
 * matches (发货 and 退款 are common, 价格保护 and 催促发货 rare), so keep it realistic rather than tidy.
 */
import type { Category } from '../src/modules/classifier/categories.ts';

export interface Topic {
  category: Category;
  /** Relative frequency among tickets. */
  weight: number;
  subjects: readonly string[];
  asks: readonly string[];
  replies: readonly string[];
  followUps: readonly string[];
}

export const PRODUCTS = [
  '羽绒服',
  '保温杯',
  '蓝牙耳机',
  '扫地机器人',
  '空气炸锅',
  '运动鞋',
  '面霜',
  '婴儿奶粉',
  '纸尿裤',
  '手机壳',
  '电动牙刷',
  '四件套',
  '行李箱',
  '机械键盘',
  '显示器',
  '儿童书包',
  '洗衣液',
  '零食大礼包',
  '口红套装',
  '加湿器',
  '破壁机',
  '羊毛衫',
  '智能手表',
  '电饭煲',
] as const;

export const PRODUCTS_EN = [
  'down jacket',
  'thermos',
  'wireless earbuds',
  'robot vacuum',
  'air fryer',
  'running shoes',
  'face cream',
  'mechanical keyboard',
  'monitor',
  'smart watch',
] as const;

export const COURIERS = ['顺丰', '中通', '圆通', '韵达', '京东物流', '邮政EMS', '申通', '极兔'] as const;
export const CITIES = [
  '上海',
  '北京',
  '杭州',
  '广州',
  '深圳',
  '成都',
  '武汉',
  '西安',
  '南京',
  '乌鲁木齐',
] as const;

export const TOPICS: readonly Topic[] = [
  {
    category: 'shipping_eta',
    weight: 24,
    subjects: [
      '什么时候发货',
      '催发货',
      '订单{o}还没发货',
      '付款{d}天了还没发货',
      '预售{p}几号发货',
      '请尽快发货',
    ],
    asks: [
      '你好，我{d}天前买的{p}到现在还没发货，订单号{o}，请问什么时候能发？',
      '双十一付的定金，尾款也付了，{p}怎么还没发货啊',
      '麻烦催促发货，急用！订单{o}',
      '客服在吗？{p}说好48小时内发货，现在已经超时了',
      '请问今天下单的{p}今天能发出吗？寄到{city}',
      '能不能先发我的{p}，另一件可以晚点',
      '都第{d}天了还不发货？再不发我就退款了',
    ],
    replies: [
      '亲，非常抱歉让您久等了，大促期间订单量较大，仓库正在加急处理，预计{d}天内为您发出哦～',
      '您好，已为您催促仓库优先发货，发出后会有物流信息推送，请留意。',
      '亲亲，您的订单已在打包中，今天就会发货，请您耐心等待一下哈',
      '抱歉久等了，{p}补货中，预计{d}天后统一发货，介意的话可以为您办理退款。',
    ],
    followUps: [
      '好的，谢谢',
      '那麻烦快一点，等着用',
      '还没发货吗？',
      '行吧，再等等',
      '已经说了好几次了，请尽快处理',
    ],
  },
  {
    category: 'logistics',
    weight: 18,
    subjects: ['物流一直不更新', '快递到哪了', '物流信息显示已签收但没收到', '{c}快递太慢了', '查一下物流'],
    asks: [
      '我的快递{t}物流{d}天没有更新了，是不是丢件了？',
      '物流显示已签收，但是我根本没收到{p}，请帮我查一下',
      '{c}的快递在{city}中转站停了好几天了，怎么回事',
      '请问订单{o}用的什么快递？单号多少？',
      '快递员说地址不详退回了，我的地址没问题啊',
      '能不能帮我改成送到驿站，家里白天没人',
    ],
    replies: [
      '亲，已为您联系{c}核实，大促期间物流压力较大，包裹正在运输途中，请再耐心等待1-2天。',
      '您好，经核实包裹已放在驿站，取件码已短信发送，请查收。',
      '非常抱歉，已向{c}发起查件，如确认丢件我们会为您重新补发或退款。',
      '您的快递单号是{t}，可在{c}官网或APP查询物流详情。',
    ],
    followUps: ['好的', '查到了吗？', '物流还是没动', '收到了，谢谢', '如果丢了就直接退款吧'],
  },
  {
    category: 'price_protection',
    weight: 9,
    subjects: ['申请价保', '买贵了，要求补差价', '价格保护怎么申请', '双十一降价了能价保吗', '价保'],
    asks: [
      '我{d}号买的{p}现在便宜了{n}元，可以价保吗？',
      '你们说好的价格保护呢？我前天买的今天就降价了',
      '申请价保，订单{o}，差价{n}元',
      '预售买的比现在直接买还贵{n}块，这合理吗？请给我补差价',
      '请问价格保护是多少天？怎么申请',
    ],
    replies: [
      '亲，您的订单在价保期内，已为您提交补差价申请，{n}元将在1-3个工作日内原路退回。',
      '您好，价格保护需要同规格同店铺，且在签收后7天内，您的订单符合条件，已为您处理。',
      '抱歉亲，大促预售商品不参与价保，优惠券和满减的差异不在价保范围内。',
      '已为您申请价保，请在订单详情中查看进度哦。',
    ],
    followUps: ['好的，谢谢', '为什么别人可以价保我不可以', '差价什么时候到账？', '那我退货重新买'],
  },
  {
    category: 'refund',
    weight: 14,
    subjects: ['退款什么时候到账', '申请退款', '仅退款', '退款被拒绝了', '退款进度'],
    asks: [
      '我申请退款{d}天了还没到账，订单{o}',
      '没发货的话直接给我退款吧，不要了',
      '商家拒绝了我的退款申请，为什么？',
      '{p}有问题，申请仅退款，图片已上传',
      '退款金额不对，少退了{n}元',
    ],
    replies: [
      '亲，退款已经处理完成，{n}元将原路退回，银行卡一般1-3个工作日到账。',
      '您好，已同意您的退款申请，请留意支付账户的到账通知。',
      '抱歉亲，订单已发货无法直接退款，您可以拒收或收到后申请退货退款。',
      '已为您核实，少退的{n}元是运费险部分，会单独退回。',
    ],
    followUps: ['收到了', '还没到账', '好的', '为什么要这么久？', '那我拒收吧'],
  },
  {
    category: 'return_exchange',
    weight: 12,
    subjects: ['申请退货', '七天无理由退货', '换货', '退货退款', '尺码不合适想换'],
    asks: [
      '{p}不喜欢，支持七天无理由退货吗？',
      '买的{p}尺码偏小，想换大一号',
      '申请退货退款，已经寄回了，单号{t}',
      '退货的运费谁出？我买了运费险',
      '收到的{p}颜色和图片不一样，我要退货',
    ],
    replies: [
      '亲，商品支持七天无理由退货，请保持商品完好，在订单页申请退货即可，运费险会自动理赔。',
      '您好，换货申请已通过，请按退货地址寄回，我们收到后会第一时间为您换新。',
      '已收到您寄回的包裹，退货退款已处理，款项将原路返回。',
      '亲亲，定制商品不支持七天无理由退换，质量问题除外哦。',
    ],
    followUps: ['好的，已寄出', '运费险怎么理赔？', '谢谢', '什么时候能收到换的货'],
  },
  {
    category: 'quality',
    weight: 8,
    subjects: ['收到商品破损', '少发了一件', '发错货了', '质量有问题', '{p}用了两天就坏了'],
    asks: [
      '收到的{p}外包装破了，里面也有划痕，图片已上传',
      '我买了两件只收到一件，订单{o}',
      '我买的是黑色，发来的是白色',
      '{p}用了{d}天就坏了，你们这是什么质量',
      '面霜是不是过期了？味道不对',
    ],
    replies: [
      '非常抱歉给您带来不好的体验，已为您安排补发，新的{p}今天发出。',
      '亲，已为您登记漏发，仓库核实后会尽快补寄。',
      '抱歉发错了，请您把错的寄回（运费我们承担），正确的颜色马上给您发。',
      '您好，质量问题可以退货退款或换新，您看选哪种方式？',
    ],
    followUps: ['换新吧', '直接退款', '好的，尽快', '图片已经发给你们了'],
  },
  {
    category: 'coupon_points',
    weight: 6,
    subjects: ['优惠券用不了', '满减没有生效', '积分没到账', '跨店满减怎么算', '红包过期了'],
    asks: [
      '我领的满{n}减50的优惠券为什么结算时用不了？',
      '跨店满减没生效，多付了{n}元',
      '上个订单的积分还没到账',
      '双十一的红包可以叠加使用吗？',
    ],
    replies: [
      '亲，该优惠券仅限指定商品使用，您购买的{p}不在活动范围内哦。',
      '已为您核实，满减差额{n}元以红包形式补偿到您的账户。',
      '积分会在确认收货后7天内到账，请耐心等待。',
    ],
    followUps: ['好的', '那帮我补一下吧', '明白了'],
  },
  {
    category: 'order_change',
    weight: 6,
    subjects: ['修改收货地址', '取消订单', '改一下颜色', '合并发货', '修改订单'],
    asks: [
      '地址填错了，麻烦改成{city}市的新地址，订单{o}',
      '不想要了，帮我取消订单',
      '能不能把{p}改成别的颜色？还没发货吧',
      '两个订单能合并发货吗',
    ],
    replies: [
      '亲，已为您修改收货地址，请在订单详情核对。',
      '您好，订单已取消，款项原路退回。',
      '抱歉，订单已出库无法修改，您可以联系快递改派。',
    ],
    followUps: ['谢谢', '好的', '那算了'],
  },
  {
    category: 'stock',
    weight: 4,
    subjects: ['什么时候补货', '有现货吗', '预售和现货区别', '缺货'],
    asks: ['{p}什么时候补货？', '这个{p}还有现货吗？要{d}件', '预售的{p}大概多久到货'],
    replies: ['亲，{p}预计{d}天后补货，可以先收藏加购哦。', '您好，目前有现货，下单后48小时内发货。'],
    followUps: ['好的', '到货通知我'],
  },
  {
    category: 'invoice',
    weight: 3,
    subjects: ['开发票', '发票抬头写错了', '要增值税专用发票'],
    asks: ['订单{o}需要开电子发票，抬头是公司名称', '发票抬头写错了，能重开吗', '需要开专票，怎么提供资料'],
    replies: ['亲，电子发票会在确认收货后发送到您的邮箱。', '已为您重开发票，请注意查收。'],
    followUps: ['收到了，谢谢', '好的'],
  },
  {
    category: 'other',
    weight: 3,
    subjects: ['咨询', '你好', '投诉客服态度', '会员等级'],
    asks: ['在吗？有个问题想问一下', '客服回复太慢了，我要投诉', '我的会员等级为什么降了'],
    replies: ['您好，请问有什么可以帮您？', '非常抱歉给您带来不好的体验，我们会改进。'],
    followUps: ['好的', '没事了'],
  },
];

/** English tickets (cross-border shoppers): a smaller, separate mix. */
export const TOPICS_EN: readonly Topic[] = [
  {
    category: 'shipping_eta',
    weight: 3,
    subjects: ['When will my order ship?', 'Order {o} not shipped yet', 'Shipping delay'],
    asks: [
      'Hi, I ordered the {p} {d} days ago and it has not shipped yet. Order {o}.',
      'Please ship my order as soon as possible, it is a gift.',
    ],
    replies: [
      'Sorry for the wait. Due to the Double 11 volume your order will ship within {d} days.',
      'Your order has shipped, tracking number {t}.',
    ],
    followUps: ['Thanks!', 'Any update?'],
  },
  {
    category: 'refund',
    weight: 2,
    subjects: ['Refund request', 'Where is my refund?'],
    asks: ['I returned the {p} last week, when will I get my refund?', 'Please refund order {o}.'],
    replies: ['Your refund of {n} CNY has been issued; it takes 3-5 business days.'],
    followUps: ['Received, thank you.', 'Still not received.'],
  },
  {
    category: 'logistics',
    weight: 2,
    subjects: ['Tracking not updating', 'Package lost?'],
    asks: [
      'The tracking number {t} has not updated for {d} days.',
      'Package shows delivered but I did not get it.',
    ],
    replies: ['We have opened an inquiry with the courier and will update you within 24 hours.'],
    followUps: ['OK', 'Please hurry.'],
  },
];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN =
  '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯晨欣怡梓涵子轩一诺雨桐';
