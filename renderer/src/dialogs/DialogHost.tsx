// Shows the one open dialog; raises the certificate prompt for servers that hit an untrusted certificate in the background.
import { useEffect } from 'react';
import { useStore, storeActions } from '../store/store';
import { AddServerDialog } from './AddServerDialog';
import { CertificateDialog } from './CertificateDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { AboutDialog } from './AboutDialog';
import { PasswordDialog } from './PasswordDialog';
import { SettingsDialog } from './SettingsDialog';
import { SnapshotCreateDialog } from './SnapshotCreateDialog';
import { SnapshotPropertiesDialog } from './SnapshotPropertiesDialog';
import { SnapshotCopyDialog } from '../snapshots/SnapshotCopyDialog';
import { SnapshotEditDialog } from '../snapshots/SnapshotEditDialog';
import { PolicyHistoryDialog } from '../schedules/PolicyHistoryDialog';
import { PolicyWizard } from '../schedules/PolicyWizard';
import { EvacuateDialog } from '../migration/EvacuateDialog';
import { MigrateDialog } from '../migration/MigrateDialog';
import { PoolJoinDialog } from '../pools/PoolJoinDialog';
import { NewVmWizard } from '../guests/NewVmWizard';
import { GuestPropertiesDialog } from '../guests/GuestPropertiesDialog';
import { SetMemoryDialog } from '../guests/SetMemoryDialog';
import { CloneGuestDialog } from '../guests/lifecycle/CloneGuestDialog';
import { DeleteGuestsDialog } from '../guests/lifecycle/DeleteGuestsDialog';
import { PullImageDialog } from '../images/PullImageDialog';
import { ViewsDialog } from '../views/ViewsDialog';
import { NewNetworkDialog } from '../networks/NewNetworkDialog';

export function DialogHost() {
  const dialog = useStore((s) => s.dialog);
  const servers = useStore((s) => s.servers);
  const dismissed = useStore((s) => s.dismissedCerts);

  useEffect(() => {
    if (dialog) return;
    for (const server of servers) {
      const error = server.error;
      if (!error || (error.code !== 'CERT_UNTRUSTED' && error.code !== 'CERT_CHANGED')) continue;
      if (dismissed.has(`${server.id}|${error.certificate?.fingerprint256 ?? ''}`)) continue;
      storeActions.openDialog({ kind: 'certificate', serverId: server.id, error });
      return;
    }
  }, [dialog, servers, dismissed]);

  if (!dialog) return null;
  switch (dialog.kind) {
    case 'addServer':
      return <AddServerDialog editId={dialog.editId} />;
    case 'certificate':
      return <CertificateDialog key={dialog.serverId} serverId={dialog.serverId} error={dialog.error} />;
    case 'password':
      return <PasswordDialog serverId={dialog.serverId} error={dialog.error} />;
    case 'settings':
      return <SettingsDialog />;
    case 'snapshotCreate':
      return <SnapshotCreateDialog vmIds={dialog.vmIds} memory={dialog.memory} notes={dialog.notes} />;
    case 'snapshotProperties':
      return <SnapshotPropertiesDialog snapshotId={dialog.snapshotId} />;
    case 'snapshotEdit':
      return <SnapshotEditDialog snapshotId={dialog.snapshotId} />;
    case 'snapshotCopy':
      return <SnapshotCopyDialog snapshotId={dialog.snapshotId} action={dialog.action} />;
    case 'policyWizard':
      return <PolicyWizard editId={dialog.editId} members={dialog.members} />;
    case 'policyHistory':
      return <PolicyHistoryDialog policyId={dialog.policyId} />;
    case 'confirm':
      return <ConfirmDialog request={dialog.request} onConfirm={dialog.onConfirm} />;
    case 'migrate':
      return <MigrateDialog vmIds={dialog.vmIds} notes={dialog.notes} />;
    case 'evacuate':
      return <EvacuateDialog hostId={dialog.hostId} />;
    case 'poolJoin':
      return <PoolJoinDialog hostId={dialog.hostId} />;
    case 'about':
      return <AboutDialog />;
    case 'newVm':
      return <NewVmWizard serverId={dialog.serverId} templateNodeId={dialog.templateNodeId} />;
    case 'guestProperties':
      return <GuestPropertiesDialog key={dialog.nodeId} nodeId={dialog.nodeId} />;
    case 'setMemory':
      return <SetMemoryDialog nodeIds={dialog.nodeIds} />;
    case 'deleteGuests':
      return <DeleteGuestsDialog nodeIds={dialog.nodeIds} notes={dialog.notes} />;
    case 'cloneGuest':
      return <CloneGuestDialog nodeId={dialog.nodeId} />;
    case 'views':
      return <ViewsDialog state={dialog.view} />;
    case 'pullImage':
      return <PullImageDialog serverId={dialog.serverId} />;
    case 'newNetwork':
      return <NewNetworkDialog serverId={dialog.serverId} />;
  }
}
