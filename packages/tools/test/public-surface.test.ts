import { expect, it } from 'vitest'

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "ToolError",
      "builtinTools",
      "calculateDailyNutrition",
      "caseInsensitiveEnum",
      "createToolCatalog",
      "defineTool",
      "getNutrientTiming",
      "isToolError",
      "nutritionTools",
      "toToolJsonSchema",
    ]
  `)
})
