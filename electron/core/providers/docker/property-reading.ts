// How the details pages read Docker's properties: a snapshot's container status, health and
// restart policy as the engine names them, in words (Engine API ContainerState, RestartPolicy).

import type { LocalizedText } from '../../../../shared/descriptor';
import type { PropertyReading } from '../../../../shared/property-reading';
import { text } from '../common/standard-fields';

const CONTAINER_STATUS: Record<string, LocalizedText> = {
  created: text('Created', '已创建'),
  running: text('Running', '运行中'),
  paused: text('Paused', '已暂停'),
  restarting: text('Restarting', '正在重启'),
  removing: text('Being removed', '正在删除'),
  exited: text('Exited', '已退出'),
  dead: text('Dead', '已失效'),
};

export const dockerProperties: PropertyReading = {
  // the engine's status repeats the state (the exit code says how it ended)
  hidden: { container: ['status'] },
  values: {
    health: {
      starting: text('Starting', '正在启动'),
      healthy: text('Healthy', '健康'),
      unhealthy: text('Unhealthy', '不健康'),
      none: text('No health check', '无健康检查'),
    },
    restartPolicy: {
      no: text('Never', '从不'),
      always: text('Always', '总是'),
      'unless-stopped': text('Unless stopped', '除非手动停止'),
      'on-failure': text('On failure', '失败时'),
    },
    stateWhenTaken: CONTAINER_STATUS,
  },
};
