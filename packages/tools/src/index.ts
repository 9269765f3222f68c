export type {
  ToolCallOutcome,
  ToolCatalog,
  ToolDescriptor,
  ToolErrorPayload,
} from './catalog.js'
export { createToolCatalog } from './catalog.js'
export type {
  ToolAnnotations,
  ToolCategory,
  ToolContext,
  ToolDefinition,
  ToolLogger,
  ToolProviders,
  ToolScope,
} from './definition.js'
export { defineTool } from './definition.js'
export type { ToolErrorCode, ToolErrorOptions } from './errors.js'
export { isToolError, ToolError } from './errors.js'
export { calculateDailyNutrition, getNutrientTiming, nutritionTools } from './nutrition/index.js'
export { builtinTools } from './registry.js'
export type { JsonSchemaObject } from './schema.js'
export { caseInsensitiveEnum, toToolJsonSchema } from './schema.js'
