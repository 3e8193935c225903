import type { Category } from '../categories.ts';

/**
 * Template families for the generated part of the corpus. A family is one way of phrasing one intent (a few
 * sibling templates); the held-out split takes whole families, so the evaluation never sees a sentence whose
 * siblings were trained on. Slots in braces are filled by generate.ts; greetings, endings, emoji, typos and
 * code-mixing are added there as perturbations, so templates hold only the core of a message.
 */
export interface Family {
  id: string;
  category: Category;
  lang: 'zh' | 'en';
  templates: string[];
}

type Spec = [id: string, lang: 'zh' | 'en', templates: string[]];

/**
 * Intent vocabulary shared by several families of a category. A family is a sentence *frame*; the words
 * customers use for the intent (售罄/缺货/断货…) are slots, so a held-out frame is tested with known words in
 * an unseen frame, as a real new customer writes: the split tests phrasing, not a dictionary the model never saw.
 */
// prettier-ignore
export const VOCABULARY: Record<string, readonly string[]> = {
  ship: ['发货', '发出', '寄出', '发出去', '出库', '打包发出', '安排发货', '发'],
  unshipped: ['还没发货', '还不发货', '一直不发', '没发出来', '还没寄出', '还没出库', '一直待发货', '还没揽件', '没发'],
  track: ['物流', '快递', '包裹', '快递信息', '物流信息', '件', '单号'],
  stuck: ['不动了', '没更新', '停了', '卡住了', '没变化', '一直不更新', '没动静'],
  delivered: ['已签收', '已妥投', '派送成功', '显示送达', '签收了'],
  drop: ['降价了', '便宜了', '降了', '价格低了', '跌价了', '打折了', '变便宜了'],
  diff: ['补差价', '退差价', '返差价', '价保', '保价', '补偿差价', '补差'],
  oos: ['售罄', '没货', '缺货', '断货', '无货', '卖完了', '抢光了', '下架了', '库存不足', '停产了', '断码'],
  restock: ['补货', '到货', '上货', '返场', '再上架', '有货', '进货'],
  ret: ['退货', '退回去', '寄回', '退掉', '退', '退回'],
  exch: ['换货', '换一个', '换个码', '换尺码', '调换', '换'],
  refund: ['退款', '退钱', '退的钱', '款', '退款的钱'],
  arrive: ['到账', '退回来', '到', '退给我', '收到', '打过来'],
  coupon: ['优惠券', '券', '红包', '津贴', '满减', '折扣', '购物金', '积分', '店铺券', '新人券'],
  notApply: ['用不了', '没减', '不能用', '没抵扣', '没生效', '不显示', '抵扣不了'],
  changeWhat: ['地址', '收货地址', '手机号', '收件人', '颜色', '尺码', '规格', '门牌号', '电话'],
  change: ['改', '修改', '换', '更改', '改一下'],
  cancel: ['取消订单', '取消', '撤销订单', '把订单取消', '退订'],
  defect: ['坏了', '破了', '碎了', '裂了', '有质量问题', '开线了', '掉色', '有划痕', '有异味', '不能用', '开胶了', '有瑕疵', '漏了'],
  wrong: ['发错了', '少发了', '漏发了', '发错颜色了', '发错尺码了', '少了一件', '发错款了', '少了配件'],
  mismatch: ['和描述不符', '和图片不一样', '货不对板', '跟详情页不一样', '实物和图片差太多', '和宣传的不一样', '有色差'],
  returnWhere: ['地址', '寄到哪', '寄回哪里', '收件地址', '寄到哪个仓库'],
  getCoupon: ['领券', '领优惠券', '要券', '拿到优惠券', '领红包'],
  invoice: ['发票', '电子发票', '专票', '普票', '增值税发票', '票', '增票'],
  invoiceAct: ['开', '开具', '补开', '重开', '换开', '开一张'],
  ask: ['什么材质', '怎么用', '多大尺寸', '什么尺码合适', '有什么区别', '能机洗吗', '保修多久', '适合几岁'],
  chat: ['好的', '谢谢', '知道了', '收到', '辛苦了', '没事了', '嗯嗯', '好评', '满意'],
  enShip: ['ship', 'dispatch', 'send out', 'ship out', 'post'],
  enOos: ['out of stock', 'sold out', 'unavailable', 'not available', 'discontinued'],
  enDefect: ['broken', 'damaged', 'cracked', 'defective', 'faulty', 'torn', 'not working', 'scratched'],
  enWrong: ['the wrong item', 'the wrong size', 'the wrong color', 'an item missing', 'only half of my order'],
  enRefund: ['refund', 'money back', 'reimbursement'],
  enCoupon: ['coupon', 'voucher', 'promo code', 'discount code', 'points', 'gift card'],
  enInvoice: ['invoice', 'VAT invoice', 'receipt', 'e-invoice', 'fapiao'],
  enChange: ['address', 'shipping address', 'phone number', 'size', 'color', 'recipient name'],
  enTrack: ['package', 'parcel', 'tracking', 'delivery', 'shipment'],
  enReturn: ['return', 'send back', 'exchange', 'swap'],
  enDrop: ['dropped', 'went down', 'is lower now', 'is cheaper now', 'got reduced'],
};

// One family per line, so the table reads as a table.
// prettier-ignore
const SPECS: Record<Category, Spec[]> = {
  shipping_eta: [
    ['when-ship', 'zh', ['什么时候{ship}', '啥时候能{ship}', '{item}什么时候{ship}', '我的{item}几时{ship}', '大概哪天能{ship}', '几号{ship}']],
    ['not-shipped-days', 'zh', ['拍了{days}天了{unshipped}', '下单{days}天了怎么{unshipped}', '付款{days}天{unshipped}', '等了{days}天了{unshipped}', '都{days}天了{unshipped}']],
    ['hurry', 'zh', ['麻烦快点{ship}', '能不能今天{ship}', '催一下{ship}', '帮我加急{ship}吧', '急用，可以优先{ship}吗', '赶紧给我{ship}吧']],
    ['order-status-unshipped', 'zh', ['订单{order}{unshipped}', '{order}这个单怎么{unshipped}', '我的订单状态{unshipped}', '显示已付款但是{unshipped}', '商家{unshipped}']],
    ['promise-48h', 'zh', ['不是说48小时内{ship}吗', '说好的当天{ship}呢', '承诺{days}天内{ship}，现在超时了', '超过{ship}时间了', '页面写的72小时{ship}，都超时了']],
    ['event-backlog', 'zh', ['{event}买的东西什么时候能{ship}', '{event}的单要等多久才{ship}', '活动期间{ship}要多久', '大促订单是不是要晚几天{ship}', '{event}下的单{unshipped}']],
    ['warehouse', 'zh', ['仓库什么时候打包', '还没打包吗', '几号能出库', '仓库爆仓了吗，{unshipped}', '还没有揽收信息，啥时候{ship}']],
    ['compare-friends', 'zh', ['我朋友比我晚下单都{ship}了，我的{unshipped}', '同一天买的别人都发了，我的咋{unshipped}', '为什么后下单的先{ship}', '别的店早发了，你们家{unshipped}']],
    ['need-by-date', 'zh', ['周五之前能{ship}吗', '明天能{ship}吗，着急要', '下周出门前能{ship}吗', '今天下单今天能{ship}吗', '几点前下单当天{ship}']],
    ['en-when-ship', 'en', ['when will my order {enShip}', 'when do you {enShip} the {item}', 'has my order {order} been shipped yet', 'what is the dispatch time', 'how soon can you {enShip} it']],
    ['en-not-shipped', 'en', ["it's been {days} days and my order still hasn't shipped", 'still not dispatched after {days} days', 'order placed {days} days ago, status says processing', 'why has nobody shipped my order', 'you still did not {enShip} my order']],
    ['en-hurry', 'en', ['can you {enShip} it today please', 'I need it by friday, can you {enShip} it asap', 'please expedite the shipment', 'please hurry up and {enShip} my order', 'can you {enShip} it sooner']],
  ],
  logistics: [
    ['no-update', 'zh', ['{track}{days}天{stuck}', '{track}一直{stuck}', '{track}好几天{stuck}', '包裹卡在{province}{stuck}', '{track}停在{province}中转站{stuck}']],
    ['where', 'zh', ['我的{track}到哪了', '帮我查下{track}', '快递单号{tracking}到哪里了', '{courier}单号{tracking}查不到', '{track}现在在哪', '查一下我的{track}']],
    ['delivered-not-received', 'zh', ['显示{delivered}但是我没收到', '{track}{delivered}，人没拿到', '谁帮我签收的？根本没收到货', '{track}说{delivered}，我没收到啊', '{delivered}但我家门口没有']],
    ['courier-problem', 'zh', ['{courier}快递员不送货上门', '{track}放驿站了也不通知', '{courier}态度太差了，打电话不接', '快递员让我自己去取', '派件员联系不上']],
    ['lost', 'zh', ['{track}是不是丢了', '{track}丢了怎么办', '{track}显示退回了，什么情况', '{track}被退回去了', '{track}好像丢了']],
    ['change-courier', 'zh', ['能发{courier}吗', '可以指定{courier}快递吗', '我们这{courier}不到，能换个快递吗', '偏远地区快递能到吗', '默认发什么快递']],
    ['transit-slow', 'zh', ['发货{days}天了还没到', '在路上走了{days}天', '{track}怎么还在运输中', '派送中一整天了还没送来', '运输也太慢了吧', '{track}在路上{days}天了']],
    ['exception', 'zh', ['{track}显示异常件', '{track}状态显示问题件', '{track}显示派送失败', '{track}显示地址错误无法派送', '{track}显示拒收，我没拒收']],
    ['pickup-station', 'zh', ['{track}放哪个驿站了', '取件码是多少', '快递柜里没找到我的{track}', '驿站说查不到这个{track}']],
    ['en-where', 'en', ['where is my {enTrack}', 'tracking number {tracking} shows no update', 'can you check the tracking for {order}', 'where is my {enTrack} now', 'can I get the tracking number']],
    ['en-delivered-missing', 'en', ['it says delivered but I never got my {enTrack}', '{enTrack} marked as delivered, nothing at my door', 'courier says delivered but no {enTrack}', 'my {enTrack} was delivered to the wrong address', 'someone else signed for my {enTrack}']],
    ['en-stuck', 'en', ['my {enTrack} has been stuck in transit for {days} days', 'the {enTrack} has not moved since monday', 'the courier keeps delaying my {enTrack}', 'the {enTrack} failed, what now', 'my {enTrack} is lost']],
    ['en-courier', 'en', ['the courier never came', 'the driver left my {enTrack} at the wrong door', 'the delivery guy did not call me', 'the courier says the address is wrong', 'my {enTrack} went back to the sender']],
  ],
  price_protection: [
    ['dropped', 'zh', ['刚买就{drop}', '我买完第二天就{drop}{amount}', '{item}{drop}，能{diff}吗', '昨天买的今天{drop}{amount}', '一下单就{drop}', '才买{days}天就{drop}']],
    ['jiabao', 'zh', ['可以{diff}吗', '申请{diff}', '{item}有没有{diff}', '{diff}怎么申请', '{diff}多少天', '支持{diff}吗']],
    ['bucha', 'zh', ['{diff}吧', '差价{amount}能退给我吗', '帮我{diff}', '差价怎么补给我', '能{diff}吗']],
    ['event-lower', 'zh', ['{event}比我买的时候便宜', '现在活动价比我付的低', '我付了{amount}，现在只卖{amount2}', '活动价更低了，我亏了', '{event}一来就{drop}，之前买的怎么办']],
    ['other-store', 'zh', ['别家比你们便宜{amount}', '同款在直播间更便宜，能{diff}吗', '直播间价格更低，我亏了', '官方旗舰店卖得比我买的便宜', '主播那边价格低，能{diff}吗']],
    ['refuse-or-return', 'zh', ['不{diff}我就退货重拍', '不给{diff}的话我要退了重新买', '{drop}不{diff}太坑了', '不{diff}我就给差评', '要么{diff}要么退款重拍']],
    ['coupon-price-drop', 'zh', ['{drop}还叠加券，我之前买的亏了{amount}', '今天价格比我下单便宜好多，怎么处理', '今天到手价更便宜了，能{diff}吗', '价格跌了，能补给我吗']],
    ['bought-expensive', 'zh', ['感觉买贵了', '买贵了{amount}，{drop}', '比我买的时候便宜了{amount}，能{diff}吗', '价格变低了，差价能给我吗']],
    ['en-price-drop', 'en', ['the price {enDrop} right after I bought it', 'it is {amount} cheaper now, can I get the difference back', 'price went down from {amount} to {amount2}', 'it went on sale the day after I paid', 'the price {enDrop}, I paid more']],
    ['en-price-protect', 'en', ['do you offer price protection', 'can I get a price adjustment', 'I want a price match for my order {order}', 'please refund the price difference, the price {enDrop}', 'is there a price guarantee']],
  ],
  stock: [
    ['in-stock', 'zh', ['{item}还有货吗', '有现货吗', '{color}还有吗', '{size}码有没有货', '这个还有吗，是不是{oos}', '现在下单有货吗']],
    ['restock', 'zh', ['什么时候{restock}', '{item}啥时候{restock}', '{oos}的{color}还会{restock}吗', '{oos}还会再上吗', '什么时候再{restock}', '会{restock}吗']],
    ['presale', 'zh', ['预售的什么时候有货', '预售款大概几号到货', '付了定金尾款什么时候付', '预售要等多久', '是预售还是现货', '预售几号开始发']],
    ['sold-out', 'zh', ['怎么显示{oos}', '刚刚还有，怎么就{oos}', '为什么下不了单，说{oos}', '显示{oos}', '{item}{oos}吗']],
    ['quantity', 'zh', ['我想买{days}0件，库存够吗', '一次买{days}箱有货吗', '大量采购有库存吗', '库存还有多少', '批量买有没有货，别{oos}']],
    ['notify', 'zh', ['{restock}了能通知我吗', '{restock}了麻烦告诉我一声', '能帮我留一件吗，怕{oos}', '有货提醒我一下', '来货了通知我']],
    ['size-color', 'zh', ['{color}{size}码{oos}吗', '{item}{color}什么时候有', '这个颜色还会有库存吗', '{size}码{oos}了吗', '{color}的{oos}吗']],
    ['discontinued', 'zh', ['这款还卖吗', '是不是{oos}', '{item}{oos}了吗，以后还有吗', '以后还会上架吗', '怎么找不到这个商品了，{oos}了？']],
    ['en-in-stock', 'en', ['is the {item} in stock', 'do you have size {size} available', 'is the {color} one still available', 'do you still have this or is it {enOos}', 'is it available now']],
    ['en-restock', 'en', ['when will the {item} be back in stock', 'any restock date for the {color} version', 'it says {enOos}, will you restock', 'will you get more of these', 'it is {enOos}, when will it come back']],
    ['en-preorder', 'en', ['when does the pre-order ship to stock', 'is this item pre-order only', 'how long is the pre-order wait', 'is this in stock or pre-order', 'when do I pay the balance for the pre-order']],
    ['en-sold-out', 'en', ['why is it {enOos}', 'the {color} one is {enOos}', 'it was {enOos} within minutes', 'size {size} is {enOos}, any left']],
  ],
  return_exchange: [
    ['want-return', 'zh', ['我想{ret}', '{item}不想要了可以{ret}吗', '怎么申请{ret}', '不喜欢，能{ret}吗', '不合适想{ret}', '收到了不想要，{ret}']],
    ['exchange-size', 'zh', ['尺码不合适，能{exch}{size}码吗', '我要{exch}，{size}码太小了', '{item}大了想{exch}小一号', '小了，{exch}大一码', '穿着不合身想{exch}']],
    ['seven-day', 'zh', ['支持七天无理由吗', '七天无理由{ret}可以吗', '拆了包装还能{ret}吗', '穿过一次还能{ret}吗', '吊牌拆了能{exch}吗']],
    ['return-address', 'zh', ['{ret}{returnWhere}', '寄回来的{returnWhere}发我一下', '{ret}的东西{returnWhere}', '{ret}去填什么单号', '{exch}要{returnWhere}']],
    ['return-shipping-fee', 'zh', ['{ret}运费谁出', '有运费险吗', '{ret}的邮费你们承担吗', '{exch}来回运费怎么算', '{ret}能到付吗', '{ret}要我自己付邮费吗']],
    ['exchange-color', 'zh', ['想{exch}成{color}的', '颜色不喜欢，能{exch}个颜色吗', '可以{exch}款吗', '能{exch}成别的款式吗', '{exch}一个{color}可以吗']],
    ['return-progress', 'zh', ['{ret}寄回去了，你们收到了吗', '我寄回的快递{tracking}签收了吗', '{exch}的什么时候寄出', '{exch}的新货什么时候发', '{ret}的东西你们验收了吗']],
    ['pickup-return', 'zh', ['{ret}可以上门取件吗', '怎么预约快递上门{ret}', '{ret}流程是什么', '在哪里填{ret}申请']],
    ['en-return', 'en', ['how do I {enReturn} the {item}', 'I want to {enReturn} my order {order}', 'can I {enReturn} it, I do not like it', 'I would like to {enReturn} this', 'is it possible to {enReturn} an opened item']],
    ['en-exchange', 'en', ['can I exchange it for size {size}', 'I want to swap for the {color} one', 'the {item} is too small, can I {enReturn} it', 'it does not fit, can I get a bigger size', 'exchange for a different color please']],
    ['en-return-label', 'en', ['where do I {enReturn} it to', 'do you provide a return label', 'who pays for return shipping', 'what is the return address', 'did you receive my returned package']],
    ['return-how', 'zh', ['{ret}怎么操作', '想{ret}，需要怎么做', '{ret}要什么条件', '可以{ret}吗，没拆封', '{exch}怎么申请', '{ret}的话{returnWhere}', '上门取件{ret}怎么约']],
    ['en-return-policy', 'en', ['what is your return policy', 'can I {enReturn} it within {days} days', 'how many days do I have to {enReturn} it', 'is there a free {enReturn}']],
  ],
  refund: [
    ['when-arrive', 'zh', ['{refund}什么时候{arrive}', '钱什么时候{arrive}', '{refund}{days}天了还没{arrive}', '{refund}怎么还没{arrive}', '{refund}多久{arrive}']],
    ['apply', 'zh', ['我要{refund}', '申请仅退款', '帮我{refund}吧', '能直接退钱吗', '给我{refund}']],
    ['amount-wrong', 'zh', ['{refund}金额不对，少退了{amount}', '为什么只退了{amount}', '运费没退给我', '{refund}少了', '我付了{amount}只退了{amount2}']],
    ['rejected', 'zh', ['为什么拒绝我的{refund}', '{refund}被驳回了', '商家拒绝{refund}什么意思', '{refund}申请被拒了', '{refund}为什么关闭了']],
    ['returned-goods-no-money', 'zh', ['货都退回去了钱还没{arrive}', '你们签收退货{days}天了还不{refund}', '退货已经签收了，{refund}呢', '东西寄回去了怎么还不退钱', '退货到了，赶紧{refund}']],
    ['refund-channel', 'zh', ['{refund}退到哪里了', '退到花呗还是余额', '{refund}原路返回吗，银行卡没{arrive}', '{refund}到微信零钱了吗', '{refund}显示成功但没{arrive}']],
    ['cancelled-refund', 'zh', ['订单取消了钱退了吗', '取消订单后多久{refund}', '没发货的单{refund}要多久', '取消了怎么没退钱']],
    ['refund-progress', 'zh', ['{refund}进度怎么样了', '{refund}处理到哪一步了', '{refund}审核通过了吗', '{refund}怎么一直在处理中']],
    ['en-refund-when', 'en', ['when will I get my {enRefund}', '{enRefund} still not received after {days} days', 'how long does the {enRefund} take', 'my {enRefund} has not arrived', 'what is the status of my {enRefund}']],
    ['en-refund-want', 'en', ['I want a {enRefund}', 'please refund my money for {order}', 'I need a full {enRefund} of {amount}', 'give me my money back', 'can I get a {enRefund}']],
    ['en-refund-amount', 'en', ['you only refunded {amount}', '{enRefund} amount is wrong', 'shipping fee was not refunded', 'why was my {enRefund} rejected', 'the {enRefund} is less than I paid']],
  ],
  coupon_points: [
    ['coupon-not-usable', 'zh', ['{coupon}{notApply}', '{coupon}为什么{notApply}', '领的{amount}券结算时{notApply}', '{coupon}显示不可用', '有{coupon}但是下单{notApply}']],
    ['manjian', 'zh', ['满{amount}减{amount2}怎么{notApply}', '满减活动怎么参加', '凑单满减算不算运费', '跨店满减可以用吗', '满减规则是什么']],
    ['points', 'zh', ['积分怎么用', '积分可以抵现吗', '我的积分怎么少了', '积分什么时候到账', '积分能换礼品吗', '积分{notApply}']],
    ['coupon-get', 'zh', ['哪里{getCoupon}', '还有{coupon}吗', '新人券在哪', '怎么{getCoupon}', '有没有优惠', '{getCoupon}领不了']],
    ['coupon-expired', 'zh', ['{coupon}过期了能补吗', '{coupon}过期了能不能重新发一张', '没用上的{coupon}能退回来吗', '退款后{coupon}能返还吗']],
    ['member-discount', 'zh', ['会员折扣怎么{notApply}', '会员价怎么没显示', '{coupon}为什么{notApply}', '津贴{notApply}', '会员积分怎么算']],
    ['forgot-coupon', 'zh', ['下单忘记用{coupon}了，能补吗', '忘了用{amount}的{coupon}', '付款时没用上{coupon}，能返吗', '没用{coupon}，能把钱退我吗']],
    ['stacking', 'zh', ['{coupon}和满减能叠加吗', '两张{coupon}能一起用吗', '店铺券和平台券能同时用吗', '{coupon}能叠加吗']],
    ['en-coupon', 'en', ['my {enCoupon} does not work', 'the {enCoupon} was not applied', 'how do I use the {amount} {enCoupon}', 'the {enCoupon} is invalid', 'can I stack {enCoupon}s']],
    ['en-points', 'en', ['how do I redeem my points', 'my reward points disappeared', 'when will the points be credited', 'how many points do I have', 'can I use points to pay']],
    ['en-promo', 'en', ['the spend {amount} get {amount2} off deal did not apply', 'is there any {enCoupon}', 'I forgot to apply my {enCoupon} at checkout', 'the discount did not show at checkout', 'any discount for members']],
    ['ask-discount', 'zh', ['有没有{coupon}', '能便宜点吗，有{coupon}吗', '还能再优惠吗', '在哪{getCoupon}', '送点{coupon}呗']],
  ],
  order_change: [
    ['change-address', 'zh', ['{changeWhat}写错了，能{change}吗', '帮我{change}下{changeWhat}', '地址{change}成{province}的', '{changeWhat}填错了', '{changeWhat}要{change}']],
    ['change-phone', 'zh', ['电话写错了，{change}成{phone}', '收件人手机号{change}', '联系电话{change}成{phone}', '手机号填错一位', '收货电话不对，{change}成{phone}']],
    ['cancel', 'zh', ['帮我{cancel}', '不想要了，{cancel}{order}', '拍错了，能{cancel}吗', '怎么{cancel}', '不要了，帮我{cancel}']],
    ['change-spec', 'zh', ['拍错颜色了，{change}成{color}', '尺码拍错了，能{change}成{size}码吗', '帮我把{item}{change}成{color}的', '{changeWhat}选错了，帮我{change}', '能{change}成{size}码吗，还没发货吧']],
    ['merge-split', 'zh', ['两个订单能一起发吗', '能合并发货吗', '帮我备注一下，分开发', '几个单合在一起寄', '加购的能一起发吗']],
    ['add-note', 'zh', ['帮我备注不要放驿站', '能备注送到公司吗', '订单能加个备注吗', '备注一下送货前打电话', '帮我备注周末再送']],
    ['change-recipient', 'zh', ['收件人名字写错了', '收件人{change}成我朋友', '换个人收货可以吗', '收货人姓名{change}']],
    ['modify-before-ship', 'zh', ['还没发货能{change}订单吗', '订单信息能{change}吗', '下错单了怎么{change}', '订单拍错了，{change}{changeWhat}']],
    ['en-address', 'en', ['I need to change my {enChange}', 'wrong {enChange} on order {order}', 'please update my {enChange} before it ships', 'can I change the {enChange}', 'I entered the wrong {enChange}']],
    ['en-cancel', 'en', ['please cancel my order {order}', 'can I cancel the order', 'I ordered by mistake, cancel it please', 'how do I cancel my order', 'cancel it, I changed my mind']],
    ['en-modify', 'en', ['can I change the size to {size}', 'I want to change the color to {color}', 'please update the phone number to {phone}', 'can I modify my order', 'I picked the wrong {enChange}, can you change it']],
  ],
  quality: [
    ['broken', 'zh', ['收到的{item}{defect}', '东西{defect}', '包装破损，{item}{defect}', '到手就{defect}', '外包装都烂了，{item}{defect}']],
    ['wrong-item', 'zh', ['{wrong}', '我买的{color}{wrong}', '尺码{wrong}，我要的是{size}', '收到的不是我买的', '给我{wrong}']],
    ['missing-item', 'zh', ['{wrong}，赠品也没有', '只收到一个，还有一个呢', '盒子里是空的', '配件少了', '{item}{wrong}']],
    ['defect', 'zh', ['{item}{defect}', '用了{days}天就{defect}', '{defect}，质量太差', '{mismatch}', '质量不行，{defect}', '做工太差了']],
    ['smell-fake', 'zh', ['有很大的异味', '是不是假货', '这是正品吗，感觉不对', '过期了吧，味道不对', '怀疑是假的', '吃了拉肚子']],
    ['not-working', 'zh', ['{item}开不了机', '充不进电', '用不了，没反应', '有杂音', '插上电没反应，{defect}', '按键失灵']],
    ['stain', 'zh', ['衣服上有污渍，还{mismatch}', '{item}{defect}', '有线头还有个洞', '掉色严重', '起球了', '有脏东西']],
    ['mismatch-listing', 'zh', ['收到的东西{mismatch}', '{item}{mismatch}', '{mismatch}，太失望了', '质量差，{mismatch}', '材质不对，{defect}']],
    ['en-damaged', 'en', ['the {item} arrived {enDefect}', 'item is {enDefect}', 'the box was crushed and the {item} is {enDefect}', 'it came {enDefect}', 'my {item} is {enDefect}']],
    ['en-wrong', 'en', ['you sent me {enWrong}', 'I got {enWrong}', 'one item is missing from my order {order}', 'the color is different from what I ordered', 'I received {enWrong}']],
    ['en-defect', 'en', ['the {item} stopped working after {days} days', 'poor quality, the stitching came apart', 'it does not turn on', 'it is {enDefect}', 'looks nothing like the picture']],
  ],
  invoice: [
    ['need', 'zh', ['能{invoiceAct}{invoice}吗', '我要{invoiceAct}{invoice}', '麻烦{invoiceAct}个{invoice}', '这个可以开票吗', '需要{invoice}']],
    ['vat', 'zh', ['可以开专票吗', '要增值税专用发票', '开增值税普通发票', '专票和普票都能开吗', '能{invoiceAct}增票吗']],
    ['title-tax', 'zh', ['{invoice}抬头写公司名', '税号是{taxid}', '抬头开错了能{invoiceAct}吗', '{invoice}抬头和税号怎么填', '开票信息怎么填']],
    ['when-invoice', 'zh', ['{invoice}什么时候{invoiceAct}', '电子发票发到哪', '{invoice}开了吗，没收到', '纸质{invoice}随货寄吗', '{invoice}多久能开好']],
    ['invoice-amount', 'zh', ['{invoice}金额不对', '{invoice}能开{amount}吗', '运费能一起开票吗', '{invoice}按实付金额开吗', '{invoice}内容能写办公用品吗']],
    ['invoice-email', 'zh', ['电子发票发我邮箱', '{invoice}发到这个邮箱', '{invoice}能重新发一下吗', '{invoice}下载不了']],
    ['receipt', 'zh', ['有收据吗', '报销用的{invoice}怎么{invoiceAct}', '公司报销需要{invoice}', '能开报销凭证吗']],
    ['en-invoice', 'en', ['can I get an {enInvoice}', 'I need a {enInvoice} for order {order}', 'please send me the {enInvoice}', 'do you issue {enInvoice}s', 'I need a {enInvoice} for my company']],
    ['en-invoice-fix', 'en', ['the company name on the {enInvoice} is wrong', 'can you reissue the {enInvoice} with tax id {taxid}', 'I did not receive the {enInvoice}', 'please correct the {enInvoice}', 'where do I download my {enInvoice}']],
  ],
  other: [
    ['greeting', 'zh', ['在吗', '你好', '有人吗', '人工客服', '在不在', '亲在吗']],
    ['material', 'zh', ['这个是{ask}', '{item}{ask}', '这款{ask}', '请问{item}{ask}', '想问下{ask}']],
    ['size-advice', 'zh', ['身高170体重60穿什么码', '我平时穿{size}码，这个要拍多大', '偏大还是偏小', '尺码准吗', '推荐个尺码']],
    ['thanks', 'zh', ['{chat}', '{chat}，{chat}', '收到了，很满意', '东西不错，下次还来', '{chat}啦']],
    ['contact', 'zh', ['怎么联系人工', '转人工', '你们店在哪里', '有实体店吗', '客服电话多少', '你们几点上班']],
    ['cashback', 'zh', ['好评返现怎么弄', '晒图有奖励吗', '怎么加会员群', '怎么写评价', '{chat}，给你们{chat}']],
    ['warranty', 'zh', ['{item}{ask}', '售后电话多少', '有没有安装服务', '怎么清洗', '能送礼盒包装吗']],
    ['en-product', 'en', ['what material is the {item}', 'is this waterproof', 'what are the dimensions', 'which size should I pick', 'how do I use the {item}']],
    ['en-hello', 'en', ['hello', 'anyone there', 'I want to talk to a human', 'are you a bot', 'hi, quick question']],
    ['en-thanks', 'en', ['thanks, got it', 'ok thank you', 'great service, thanks', 'never mind', 'all good now']],
    ['product-question', 'zh', ['{ask}？', '问一下，{ask}', '这个{item}{ask}呀', '{ask}，想买']],
    ['en-shop-info', 'en', ['what are your opening hours', 'do you have a physical store', 'which size should I choose, I am usually {size}', 'is this genuine', 'can you gift wrap it']],
    ['en-chitchat', 'en', ['ok', 'got it thanks', 'no problem', 'just checking', 'good to know, thanks', 'I love this shop']],
    ['chitchat', 'zh', ['{chat}{chat}', '哈哈{chat}', '行吧，{chat}', '嗯，{chat}', '{chat}~']],
  ],
};

export const FAMILIES: Family[] = Object.entries(SPECS).flatMap(([category, specs]) =>
  specs.map(([id, lang, templates]) => ({
    id: `${category}/${id}`,
    category: category as Category,
    lang,
    templates,
  })),
);
