import type { ToolDefinition } from './definition.js'
import { nutritionTools } from './nutrition/index.js'

/**
 * Every tool this package ships, in the catalogue order of `specs/tools.md` §1.1 (only tools that
 * are implemented appear; more are added as their issues land).
 */
export const builtinTools: readonly ToolDefinition[] = [
  ...(nutritionTools as readonly ToolDefinition[]),
]
