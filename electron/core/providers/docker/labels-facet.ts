// Docker's labels are a container's tags, fixed when it is made: shown, never changed (issue 16).
import type { LabelsFacet } from '../../../../shared/labels';
import { text } from '../common/standard-fields';

export const DOCKER_LABELS_FACET: LabelsFacet = {
  tags: [],
  fixedTags: ['container'],
  fixedTagsReason: text(
    "A container's labels are its tags, and Docker fixes them when the container is made: they cannot be changed or added to.",
    '容器的标签即其标记，Docker 在创建容器时即已固定：无法更改或添加。',
  ),
  folders: [],
};
