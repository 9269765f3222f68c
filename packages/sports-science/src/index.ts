export type {
  SportsScienceErrorCode,
  SportsScienceErrorDetails,
  SportsScienceErrorOptions,
} from './errors.js'
export { isSportsScienceError, SportsScienceError } from './errors.js'
export { fitness } from './fitness/index.js'
export type {
  FitnessCombination,
  FitnessCombineArgs,
  FitnessLevel,
  FitnessScore,
  FitnessScoreOptions,
  FitnessTrend,
  RecoveryAdjustmentArgs,
} from './fitness/score.js'
export type {
  DatedDistance,
  DistanceFeasibility,
  DistanceFeasibilityArgs,
  Feasibility,
  FeasibilityArgs,
} from './goals/feasibility.js'
export { goals } from './goals/index.js'
export type {
  GoalAdjustment,
  GoalAdjustmentAction,
  GoalDefinition,
  GoalDirection,
  GoalMilestone,
  GoalProgress,
} from './goals/progress.js'
export type {
  ActivityLoad,
  ActivityLoadMethod,
  ActivityLoadOptions,
  LoadActivity,
  LoadProfile,
  LoadSource,
} from './load/activity.js'
export type { Acwr, AcwrDay, AcwrMethod, AcwrOptions } from './load/acwr.js'
export type {
  ClassifyTsbOptions,
  MonotonyStrain,
  OvertrainingFactor,
  OvertrainingRisk,
  OvertrainingThresholds,
  TrainingLoadState,
  TsbClass,
} from './load/form.js'
export type {
  HrTssArgs,
  HrTssMethod,
  SessionRpeArgs,
  TrimpBanisterArgs,
  TrimpBanisterStreamOptions,
  TrimpEdwardsArgs,
  TrimpEdwardsMinutesArgs,
  TrimpEdwardsStreamArgs,
  TrimpLuciaArgs,
  TrimpLuciaMinutesArgs,
  TrimpLuciaStreamArgs,
} from './load/heart-rate.js'
export { load } from './load/index.js'
export type {
  FormState,
  LoadEntry,
  Pmc,
  PmcDay,
  PmcDecay,
  PmcOptions,
  ProjectFormOptions,
  RestForTargetTsb,
  RestForTargetTsbOptions,
  TsbConvention,
} from './load/pmc.js'
export type {
  NormalizedPowerOptions,
  NormalizedPowerWarmup,
  PowerStreamSummary,
  PowerStreamSummaryOptions,
  PowerTssArgs,
  PowerTssMethod,
} from './load/power.js'
export type { RunningTssArgs, RunningTssMethod, SwimTssArgs } from './load/running.js'
export type {
  BmrArgs,
  BmrDetails,
  BmrMethod,
  CalorieTarget,
  CalorieTargetArgs,
  CalorieTargetRule,
  TdeeFromExerciseArgs,
} from './nutrition/energy.js'
export type {
  ExerciseKcalFromHeartRateArgs,
  ExerciseKcalFromPowerArgs,
} from './nutrition/exercise.js'
export type {
  DuringExerciseFluid,
  Hydration,
  HydrationArgs,
  PostExerciseFluid,
  PreExerciseFluid,
  SweatRate,
  SweatRateArgs,
} from './nutrition/hydration.js'
export { nutrition } from './nutrition/index.js'
export type {
  CarbTargetArgs,
  CarbTargetMethod,
  DailyNeeds,
  DailyNeedsArgs,
  DailyNeedsOptions,
  FatMethod,
  MacroPercentages,
  ProteinTargetArgs,
} from './nutrition/macros.js'
export type {
  MealTemplate,
  MealTemplateOptions,
  MealTiming,
  NutrientTiming,
  NutrientTimingArgs,
  NutrientTimingMethod,
  NutrientTimingOptions,
} from './nutrition/timing.js'
export type { ActivityLevel, NutritionGoal, WorkoutIntensity } from './nutrition/types.js'
export type { IntensityProfile, PatternActivity } from './patterns/activities.js'
export { patterns } from './patterns/index.js'
export type {
  HardEasyPattern,
  HardEasySummary,
  HardMethod,
  HardOptions,
} from './patterns/intensity.js'
export type {
  OvertrainingRestriction,
  OvertrainingSignals,
  OvertrainingSignalsOptions,
  SignalRiskLevel,
} from './patterns/overtraining.js'
export type {
  ConsistencyMethod,
  Weekday,
  WeeklySchedule,
  WeeklyScheduleOptions,
} from './patterns/schedule.js'
export type { TrainingGap, TrainingGapOptions } from './patterns/streaks.js'
export type {
  VolumeMetric,
  VolumeProgression,
  VolumeProgressionOptions,
  VolumeTrend,
  WeeklyVolumes,
  WeeklyVolumesOptions,
} from './patterns/volume.js'
export { performance } from './performance/index.js'
export type {
  AerobicDecoupling,
  AerobicDecouplingOptions,
  DecouplingOutput,
  EfficiencyFactorArgs,
  MaxHrDetails,
  MaxHrMethod,
  MaxHrOptions,
  RockportArgs,
} from './performance/physiology.js'
export type {
  CriticalPowerEffort,
  CriticalPowerFit,
  CriticalPowerFromCurve,
  CriticalPowerFromCurveOptions,
  CriticalPowerModel,
  CriticalPowerOptions,
  CriticalPowerWarning,
  FtpFromEffortsArgs,
  FtpFromPowerArgs,
  FtpFromTestArgs,
  FtpFromVo2maxArgs,
  FtpTestProtocol,
  MeanMaximalPacePoint,
  MeanMaximalPowerPoint,
  WPrimeBalance,
  WPrimeBalanceModel,
  WPrimeBalanceOptions,
} from './performance/power.js'
export type {
  BestPerformance,
  DanielsPaces,
  RaceTimeDetails,
  RiegelArgs,
  RiegelDetails,
  RunPerformance,
  VdotDetails,
} from './performance/running.js'
export type {
  BedtimeArgs,
  SleepDebt,
  SleepDebtArgs,
  SleepTargetArgs,
  SleepTrend,
  SleepTrendOptions,
} from './recovery/advice.js'
export type {
  AggregateOptions,
  AggregationMethod,
  PrimaryRestReason,
  ReadinessCase,
  ReadinessOptions,
  RecoveryComponentScores,
  RecoveryScore,
  RecoveryScoreArgs,
  RecoveryScoreOptions,
  RecoveryWeights,
  RestConfidenceFactor,
  RestDayArgs,
  RestDayRecommendation,
  RestReason,
  TrainingReadiness,
} from './recovery/aggregate.js'
export type {
  HrvAssessment,
  HrvLnAssessment,
  HrvLnStatusArgs,
  HrvLnStatusOptions,
  HrvStatus,
  HrvStatusArgs,
  HrvTrend,
} from './recovery/hrv.js'
export { recovery } from './recovery/index.js'
export type {
  MissingComponentRule,
  SleepDurationThresholds,
  SleepEfficiencyThresholds,
  SleepInput,
  SleepQuality,
  SleepQualityOptions,
  SleepQualityWeights,
  SleepStageArgs,
  SleepStageRanges,
  StageRange,
} from './recovery/sleep.js'
export type { ScoreCategory } from './recovery/thresholds.js'
export type { TsbScoreOptions, TsbScoreVariant } from './recovery/tsb.js'
export { stats } from './stats/index.js'
export type { ModifiedZScores } from './stats/outliers.js'
export type {
  ConfidenceCase,
  ConfidenceLevel,
  DatedValue,
  Interval,
  LinearRegression,
  RegressionInterval,
  RegressionPoint,
  Trend,
  TrendDirection,
  TrendOptions,
} from './stats/regression.js'
export type { Stream, StreamOptions } from './streams.js'
export type { Sex } from './types.js'
export { validation } from './validation/index.js'
export type {
  AthleteProfile,
  ProfileField,
  ProfileIssue,
  ProfileIssueCode,
  ProfileValidation,
} from './validation/profile.js'
export type {
  HeartRateKarvonenArgs,
  HeartRateLthrArgs,
  HeartRatePercentMaxArgs,
  HeartRateReserveZones,
  HeartRateZones,
  LthrZoneModel,
} from './zones/heart-rate.js'
export { zones } from './zones/index.js'
export type { PaceZones, PaceZonesArgs, PowerZones, PowerZonesArgs } from './zones/power-pace.js'
