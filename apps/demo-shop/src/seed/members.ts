import { EMAIL_DOMAINS, GIVEN_NAMES, NICK_NOUNS, NICK_WORDS, PLACES, SURNAMES, TIERS } from './catalog.ts';
import type { Place } from './logistics.ts';
import type { Prng } from './prng.ts';

export interface MemberSeed {
  id: string;
  nick: string;
  name: string;
  phone: string;
  email: string | null;
  /** The shop's own tier name: 普通/银卡/金卡/黑钻. */
  rawTier: string;
  tier: string;
  place: Place;
  district: string;
  street: string;
  joinedAt: number;
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '152',
  '155',
  '158',
  '159',
  '166',
  '177',
  '180',
  '183',
  '186',
  '188',
  '189',
  '191',
  '199',
];

export function buildMember(prng: Prng, index: number, joinedBefore: number): MemberSeed {
  const surname = prng.pick(SURNAMES);
  const name = surname + prng.pick(GIVEN_NAMES);
  const phone = prng.pick(MOBILE_PREFIXES) + prng.digits(8);
  const tier = prng.weighted(TIERS.map(([raw, weight, normal]) => [[raw, normal] as const, weight] as const));
  const place = prng.pick(PLACES);
  const nick = prng.chance(0.6)
    ? `${prng.pick(NICK_WORDS)}${prng.pick(NICK_NOUNS)}${prng.int(1, 999)}`
    : `tb${prng.digits(9)}`;
  return {
    id: `M${String(100000 + index)}`,
    nick,
    name,
    phone,
    email: prng.chance(0.55) ? `${phone.slice(0, 3)}${prng.digits(5)}@${prng.pick(EMAIL_DOMAINS)}` : null,
    rawTier: tier[0],
    tier: tier[1],
    place,
    district: prng.pick(place[2]),
    street: `${prng.pick(place[3])}${prng.int(1, 999)}号${prng.int(1, 30)}栋${prng.int(1, 30)}0${prng.int(1, 6)}室`,
    joinedAt: joinedBefore - prng.int(1, 1500) * 86_400_000,
  };
}
