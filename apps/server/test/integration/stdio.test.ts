import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it, onTestFinished } from 'vitest'
import { tempDir } from '../helpers.js'

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

describe('MCP over stdio (built CLI)', () => {
  it('has a built CLI to spawn', () => {
    expect(existsSync(cli), 'run the build first (turbo does it before test)').toBe(true)
  })

  it('lists and calls the tools, with logs on stderr only', async () => {
    const dataDir = tempDir()
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, '--stdio', '--data-dir', dataDir],
      env: { PIERRE_LOG_LEVEL: 'debug' },
      stderr: 'pipe',
    })
    const stderr: string[] = []
    transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)))
    const client = new Client({ name: 'pierre-stdio-test', version: '1.0.0' })
    await client.connect(transport)
    onTestFinished(() => client.close())

    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual([
      'calculate_daily_nutrition',
      'get_nutrient_timing',
    ])
    expect(tools.every((tool) => tool.outputSchema?.type === 'object')).toBe(true)

    const daily = await client.callTool({
      name: 'calculate_daily_nutrition',
      arguments: {
        weight_kg: 75,
        height_cm: 180,
        age: 30,
        gender: 'male',
        activity_level: 'moderately_active',
        training_goal: 'maintenance',
      },
    })
    // BMR = 750 + 1125 − 150 + 5 = 1730; TDEE = 1730 × 1.55 = 2681.5; protein 1.3 g/kg = 97.5 g;
    // carbs 6 g/kg = 450 g; fat = (2681.5 − 390 − 1800) / 9 = 54.61 g (18.3 %), below the 20 % floor
    // of 59.59 g, so fat = 59.59 g and carbs = (2681.5 − 390 − 536.3) / 4 = 438.8 g.
    expect(daily.structuredContent).toMatchObject({
      bmr: 1730,
      tdee: 2681.5,
      calorie_target: 2681.5,
      protein_g: 97.5,
      carbs_g: 438.8,
      fat_g: 59.6,
    })

    const timing = await client.callTool({
      name: 'get_nutrient_timing',
      arguments: {
        weight_kg: 50,
        daily_protein_g: 100,
        workout_intensity: 'HIGH',
        workout_duration_minutes: 200,
      },
    })
    // Pre 2 h × 1 g/kg = 100 g; > 150 min high = 90 g/h; post protein 0.3 × 50 = 15 → clamped to 20 g.
    expect(timing.structuredContent).toMatchObject({
      pre_workout: { carbs_g: 100 },
      during_workout: { carbs_g_per_hour: 90 },
      post_workout: { protein_g: 20 },
      workout_intensity: 'high',
    })

    const invalid = await client.request(
      {
        method: 'tools/call',
        params: { name: 'get_nutrient_timing', arguments: { weight_kg: 50 } },
      },
      CallToolResultSchema,
    )
    expect(invalid.isError).toBe(true)
    expect(invalid.structuredContent).toMatchObject({
      error: {
        code: 'invalid_argument',
        details: {
          issues: [
            { path: 'daily_protein_g', message: 'is required' },
            {
              path: 'workout_intensity',
              message: 'give workout_intensity, or activity_provider to infer it',
            },
          ],
        },
      },
    })

    await client.close()
    const logs = stderr.join('')
    expect(logs).toMatch(/"msg":"pierre server on stdio"/)
  })
})
