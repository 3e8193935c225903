import type { Category } from '../categories.ts';
import { seededRandom } from '../train.ts';
import { FAMILIES, VOCABULARY, type Family } from './templates.ts';

/**
 * The generated half of the corpus: template families × slot fillers × perturbations (greetings, particles,
 * typos and homophones, punctuation, emoji, code-mixing), driven by a seeded PRNG so the output is identical
 * on every run and the committed `generated.jsonl` can be checked against it.
 */
export interface CorpusRecord {
  id: string;
  category: Category;
  /** `hand/<n>` for hand-written examples, the template family id otherwise. */
  family: string;
  source: 'template' | 'hand';
  /** Indices into the family's templates that the text was filled from (generated records only). */
  templates?: number[];
  text: string;
}

export const GENERATOR_SEED = 618;
export const SAMPLES_PER_FAMILY = 18;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;
const digits = (random: Random, n: number) =>
  Array.from({ length: n }, (_, i) =>
    i === 0 ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10),
  ).join('');

const ZH_ITEMS = [
  '羽绒服',
  '连衣裙',
  '运动鞋',
  '面膜',
  '口红',
  '洗衣液',
  '手机壳',
  '蓝牙耳机',
  '保温杯',
  '四件套',
  '奶粉',
  '纸尿裤',
  '零食',
  '扫地机器人',
  '空气炸锅',
  '卫衣',
  '牛仔裤',
  '电饭煲',
  '猫粮',
  '充电宝',
  '衣服',
  '鞋子',
  '宝贝',
];
const EN_ITEMS = [
  'jacket',
  'sneakers',
  'phone case',
  'headphones',
  'dress',
  'blender',
  'face masks',
  'water bottle',
  'charger',
  'hoodie',
  'rice cooker',
  'vacuum',
];
const COURIERS = ['顺丰', '圆通', '中通', '韵达', '申通', '京东', '邮政', 'EMS', '极兔'];
const PROVINCES = ['北京', '上海', '广州', '杭州', '成都', '武汉', '新疆', '西藏', '深圳', '郑州', '义乌'];
const EVENTS = ['双十一', '双11', '618', '双十二', '年货节', '38节'];
const ZH_COLORS = ['黑色', '白色', '粉色', '灰色', '蓝色', '米色', '卡其色'];
const EN_COLORS = ['black', 'white', 'pink', 'grey', 'blue', 'beige'];
const SIZES = ['S', 'M', 'L', 'XL', 'XXL', '38', '39', '40', '42'];
const ZH_DAYS = ['3', '5', '7', '两', '三', '四', '五', '十', '好几'];

function order(random: Random): string {
  switch (Math.floor(random() * 4)) {
    case 0:
      return `E${digits(random, 13 + Math.floor(random() * 6))}`;
    case 1:
      return digits(random, 18 + Math.floor(random() * 2));
    case 2:
      return `#${1001 + Math.floor(random() * 8000)}`;
    default:
      return digits(random, 16);
  }
}

function tracking(random: Random): string {
  const prefix = pick(random, ['SF', 'YT', 'JDVA', 'ZTO', 'YD', 'STO', 'EMS', '']);
  return prefix === 'EMS' ? `E${digits(random, 9)}CN` : `${prefix}${digits(random, prefix ? 13 : 12)}`;
}

function amount(random: Random, lang: 'zh' | 'en'): string {
  const value = pick(random, [5, 9.9, 20, 30, 59.9, 99, 100, 129, 199, 299.5, 50, 15]);
  if (lang === 'en') return pick(random, [`$${value}`, `${value} yuan`, `RMB ${value}`, `¥${value}`]);
  return pick(random, [
    `¥${value}`,
    `${value}元`,
    `${Math.round(value)}块`,
    `${Math.round(value)}块钱`,
    `${value}`,
  ]);
}

function fill(template: string, lang: 'zh' | 'en', random: Random): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const words = VOCABULARY[slot];
    if (words) return pick(random, words);
    switch (slot) {
      case 'item':
        return lang === 'zh' ? pick(random, ZH_ITEMS) : pick(random, EN_ITEMS);
      case 'order':
        return order(random);
      case 'tracking':
        return tracking(random);
      case 'courier':
        return pick(random, COURIERS);
      case 'province':
        return pick(random, PROVINCES);
      case 'event':
        return pick(random, EVENTS);
      case 'color':
        return lang === 'zh' ? pick(random, ZH_COLORS) : pick(random, EN_COLORS);
      case 'size':
        return pick(random, SIZES);
      case 'days':
        return lang === 'zh' ? pick(random, ZH_DAYS) : pick(random, ['2', '3', '5', '7', '10', 'several']);
      case 'amount':
      case 'amount2':
        return amount(random, lang);
      case 'phone':
        return `1${pick(random, ['3', '5', '7', '8', '9'])}${digits(random, 9)}`;
      case 'taxid':
        return `91330${digits(random, 13)}`;
      default:
        throw new Error(`Unknown slot {${slot}} in "${template}"`);
    }
  });
}

// Typos and homophones customers really type (拼音输入法 picks the wrong character), applied sparingly.
const ZH_TYPOS: [RegExp, string[]][] = [
  [/什么/, ['啥', '神马', '什莫', '什么']],
  [/怎么/, ['咋', '肿么', '怎莫', '怎么']],
  [/为什么/, ['为啥', '为毛', '咋']],
  [/还没/, ['还木', '还没有', '咋还没']],
  [/没有/, ['木有', '没']],
  [/已经/, ['以经', '已']],
  [/订单/, ['定单', '单子', '单']],
  [/发货/, ['法货', '发或', '发']],
  [/快递/, ['快第', '快件', '件']],
  [/优惠券/, ['优惠卷', '券', '卷']],
  [/地址/, ['地止', '收货地址']],
  [/吗/, ['嘛', '么', '吗吗']],
  [/的/, ['滴', '得']],
  [/收到/, ['受到', '收着']],
  [/谢谢/, ['3q', '谢啦', '感谢']],
  [/可以/, ['能', '可不可以', 'ky']],
  [/退款/, ['退宽', '退钱', '退kuan']],
  [/物流/, ['无流', '快递信息']],
  [/发票/, ['发漂', '票']],
  [/客服/, ['kf', '客户']],
];
const ZH_PINYIN: [RegExp, string][] = [
  [/发货/, 'fh'],
  [/快递/, 'kd'],
  [/优惠券/, 'yhq'],
  [/退款/, 'tk'],
];
const ZH_MIX: [RegExp, string][] = [
  [/退款/, 'refund'],
  [/订单/, 'order'],
  [/优惠券/, 'coupon'],
  [/发票/, 'invoice'],
  [/尺码/, 'size'],
  [/物流/, 'tracking'],
  [/快递/, '快递 delivery'],
  [/地址/, 'address'],
];
const ZH_GREETINGS = [
  '亲',
  '亲，',
  '在吗',
  '在吗？',
  '你好',
  '您好，',
  '客服',
  '客服在吗？',
  '哈喽',
  '亲亲',
  'hello，',
  '掌柜的',
  '老板，',
  '美女客服',
];
const ZH_ENDINGS = [
  '？',
  '??',
  '。',
  '！',
  '呀',
  '啊',
  '呢',
  '谢谢',
  '谢谢亲',
  '急',
  '急急急！！',
  '麻烦看下',
  '在线等',
  '快回复',
  '啊啊啊',
  '~',
];
const ZH_EXTRA = [
  '我很着急。',
  '已经问过一次了。',
  '麻烦尽快处理。',
  '等着用呢。',
  '第一次在你们家买。',
  '送人的。',
  '老客户了。',
  '你们怎么回事？',
];
// Context customers give before the point, shared by every category so the model learns to look past it.
const ZH_STORIES = [
  '我上周在你们家买了{item}，',
  '{event}的时候买的{item}，',
  '第一次在你们店买东西，',
  '帮朋友问一下，',
  '之前买过一次，',
  '我是老顾客了，',
];
const EN_STORIES = [
  'I ordered a {item} last week.',
  'I bought this for my mom.',
  'First time buying here.',
  'Quick question about my order {order}.',
];
const EMOJI = ['😭', '😡', '🙏', '😂', '[流泪]', '[委屈]', '😤', '👍', '[微笑]', '😓'];
const EN_GREETINGS = ['hi', 'hi,', 'hello,', 'hey', 'hi there,', 'dear seller,', 'good morning,'];
const EN_ENDINGS = ['thanks', 'thx', '??', '!', 'pls', 'asap', 'thank you!', 'please help'];
const EN_ABBREVIATIONS: [RegExp, string][] = [
  [/\byou\b/, 'u'],
  [/\byour\b/, 'ur'],
  [/\bplease\b/, 'pls'],
  [/\bthanks\b/, 'thx'],
  [/\bdo not\b/, "don't"],
  [/\bdoes not\b/, 'doesnt'],
  [/'/, ''],
];

function perturbZh(text: string, random: Random): string {
  let out = text;
  for (const [pattern, replacements] of ZH_TYPOS)
    if (pattern.test(out) && chance(random, 0.15)) out = out.replace(pattern, pick(random, replacements));
  for (const [pattern, replacement] of ZH_PINYIN)
    if (pattern.test(out) && chance(random, 0.03)) out = out.replace(pattern, replacement);
  for (const [pattern, replacement] of ZH_MIX)
    if (pattern.test(out) && chance(random, 0.07)) out = out.replace(pattern, replacement);
  if (chance(random, 0.12))
    out = `${pick(random, ['订单号', '单号', '订单', ''])}${order(random)}${pick(random, ['，', ' ', ','])}${out}`;
  if (chance(random, 0.1)) out = `${fill(pick(random, ZH_STORIES), 'zh', random)}${out}`;
  if (chance(random, 0.45)) out = `${pick(random, ZH_GREETINGS)}${out}`;
  if (chance(random, 0.1)) out = `${out}，${pick(random, ZH_EXTRA)}`;
  if (chance(random, 0.55) && !/[。！？!?~]$/.test(out)) out = `${out}${pick(random, ZH_ENDINGS)}`;
  if (chance(random, 0.15)) out = `${out}${pick(random, EMOJI)}`;
  if (chance(random, 0.2)) out = out.replace(/[，。？！]/g, ' ').trim();
  return out;
}

function perturbEn(text: string, random: Random): string {
  let out = text;
  for (const [pattern, replacement] of EN_ABBREVIATIONS)
    if (pattern.test(out) && chance(random, 0.3)) out = out.replace(pattern, replacement);
  if (chance(random, 0.2)) {
    const words = out.split(' ');
    const candidates = words
      .map((w, i) => (w.length >= 5 && /^[a-z]+$/.test(w) ? i : -1))
      .filter((i) => i >= 0);
    if (candidates.length > 0) {
      const i = pick(random, candidates);
      const w = words[i]!;
      const at = 1 + Math.floor(random() * (w.length - 2));
      words[i] = chance(random, 0.5)
        ? w.slice(0, at) + w.slice(at + 1)
        : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
      out = words.join(' ');
    }
  }
  if (chance(random, 0.08)) out = `${fill(pick(random, EN_STORIES), 'en', random)} ${out}`;
  if (chance(random, 0.35)) out = `${pick(random, EN_GREETINGS)} ${out}`;
  if (chance(random, 0.4))
    out = `${out}${chance(random, 0.5) && !/[.!?]$/.test(out) ? ', ' : ' '}${pick(random, EN_ENDINGS)}`;
  if (chance(random, 0.05)) out = `亲，${out}`;
  if (chance(random, 0.35)) out = out[0]!.toUpperCase() + out.slice(1);
  else if (chance(random, 0.05)) out = out.toUpperCase();
  if (chance(random, 0.1)) out = `${out} ${pick(random, EMOJI)}`;
  return out;
}

function generateFamily(family: Family, random: Random): CorpusRecord[] {
  const seen = new Set<string>();
  const records: CorpusRecord[] = [];
  for (let attempt = 0; attempt < SAMPLES_PER_FAMILY * 6 && records.length < SAMPLES_PER_FAMILY; attempt++) {
    // Template indices are drawn exactly as pick() would, so the seeded output is unchanged.
    const templates = [Math.floor(random() * family.templates.length)];
    let text = fill(family.templates[templates[0]!]!, family.lang, random);
    // Now and then a customer says the same thing twice in one message.
    if (chance(random, 0.12)) {
      templates.push(Math.floor(random() * family.templates.length));
      text +=
        (family.lang === 'zh' ? '，' : '. ') + fill(family.templates[templates[1]!]!, family.lang, random);
    }
    text = family.lang === 'zh' ? perturbZh(text, random) : perturbEn(text, random);
    if (seen.has(text)) continue;
    seen.add(text);
    records.push({
      id: `${family.id}#${records.length}`,
      category: family.category,
      family: family.id,
      source: 'template',
      templates: [...new Set(templates)],
      text,
    });
  }
  return records;
}

export function generateCorpus(
  seed = GENERATOR_SEED,
  families: readonly Family[] = FAMILIES,
): CorpusRecord[] {
  const random = seededRandom(seed);
  return families.flatMap((family) => generateFamily(family, random));
}
