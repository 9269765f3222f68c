import type { SportType } from '@pierre/providers-core'

const fitSubSports: Readonly<Record<string, Readonly<Record<string, SportType>>>> = {
  running: {
    trail: 'trail_running',
    treadmill: 'virtual_run',
    indoorRunning: 'virtual_run',
    virtualActivity: 'virtual_run',
  },
  cycling: {
    indoorCycling: 'virtual_ride',
    virtualActivity: 'virtual_ride',
    mountain: 'mountain_bike',
    gravelCycling: 'gravel_ride',
    eBikeFitness: 'ebike_ride',
    eBikeMountain: 'ebike_ride',
  },
  training: { strengthTraining: 'strength_training', yoga: 'yoga', pilates: 'pilates' },
}

const fitSports: Readonly<Record<string, SportType>> = {
  running: 'run',
  cycling: 'ride',
  eBiking: 'ebike_ride',
  swimming: 'swim',
  walking: 'walk',
  hiking: 'hike',
  training: 'workout',
  fitnessEquipment: 'workout',
  rowing: 'rowing',
  crossCountrySkiing: 'cross_country_skiing',
  alpineSkiing: 'alpine_skiing',
  snowboarding: 'snowboarding',
  snowshoeing: 'snowshoe',
  standUpPaddleboarding: 'paddleboarding',
  paddling: 'canoeing',
  kayaking: 'kayaking',
  surfing: 'surfing',
  kitesurfing: 'kitesurfing',
  iceSkating: 'ice_skating',
  rockClimbing: 'rock_climbing',
  inlineSkating: 'inline_skating',
  soccer: 'soccer',
  basketball: 'basketball',
  tennis: 'tennis',
  golf: 'golf',
  mountaineering: 'hike',
}

/** Maps a FIT `sport`/`subSport` pair (fitsdk string names) to a normalized sport (spec §8). */
export function toSportFromFit(sport: unknown, subSport: unknown): SportType {
  const sportName = typeof sport === 'string' ? sport : ''
  const subName = typeof subSport === 'string' ? subSport : ''
  return fitSubSports[sportName]?.[subName] ?? fitSports[sportName] ?? 'other'
}

const textSports: Readonly<Record<string, SportType>> = {
  running: 'run',
  run: 'run',
  trail_running: 'trail_running',
  trailrunning: 'trail_running',
  cycling: 'ride',
  biking: 'ride',
  ride: 'ride',
  road_biking: 'ride',
  mountain_biking: 'mountain_bike',
  mountainbiking: 'mountain_bike',
  gravel_cycling: 'gravel_ride',
  walking: 'walk',
  walk: 'walk',
  hiking: 'hike',
  hike: 'hike',
  swimming: 'swim',
  swim: 'swim',
  rowing: 'rowing',
  kayaking: 'kayaking',
  alpine_skiing: 'alpine_skiing',
  cross_country_skiing: 'cross_country_skiing',
  // Strava's numeric activity types in GPX exports.
  '1': 'ride',
  '4': 'hike',
  '9': 'run',
  '10': 'walk',
}

/** Maps a GPX `trk/type` or TCX `Activity@Sport` to a normalized sport, or `undefined`. */
export function toSportFromText(value: string | undefined): SportType | undefined {
  if (value === undefined) return undefined
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  return textSports[key]
}

/** Guesses a sport from the median moving speed in m/s (spec §8: < 2.2 walk, < 6 run, else ride). */
export function inferSportFromSpeed(speeds: readonly (number | null)[]): SportType {
  const moving = speeds
    .filter((value): value is number => value !== null && value > 0.3)
    .sort((left, right) => left - right)
  const median = moving[Math.floor(moving.length / 2)]
  if (median === undefined) return 'other'
  if (median < 2.2) return 'walk'
  return median < 6 ? 'run' : 'ride'
}

/** Returns a readable name for a sport (`trail_running` → `Trail running`). */
export function toSportDisplayName(sport: SportType): string {
  const words = sport.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
